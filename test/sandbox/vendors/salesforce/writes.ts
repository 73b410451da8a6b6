/**
 * Record validation and writes, with the errors Salesforce documents: unknown fields and
 * values of the wrong JSON type refuse the whole request; everything else (required
 * fields, read-only fields, lengths, e-mails, restricted picklists, ids, the Lead
 * WhoId/WhatId rule) fails only the record, as `{ statusCode, message, fields }`.
 */
import type { SandboxStore, StoredRecord } from '../../core/store';
import { addressCodeErrors } from './addressPicklists';
import { saveError, SalesforceRequestError, type SaveError } from './errors';
import { canonicalId, objectTypeOfId } from './ids';
import { fieldOf, type SalesforceField, type SalesforceObject } from './schema';
import { fieldValue, findRecord } from './values';

export type WriteMode = 'create' | 'update';

export interface ValidRecord {
	fields: Record<string, unknown>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function jsonError(field: SalesforceField, value: unknown, what: string): SalesforceRequestError {
	return new SalesforceRequestError(
		400,
		'JSON_PARSER_ERROR',
		`Cannot deserialize instance of ${what} from ${typeof value === 'string' ? 'VALUE_STRING' : 'VALUE'} value ${String(value)} or request may be missing a required field (${field.name})`,
	);
}

/** Coerces one JSON value to the stored form; throws for a value of the wrong JSON type. */
function coerce(field: SalesforceField, value: unknown): unknown {
	if (value === null || value === '') return null;
	switch (field.type) {
		case 'boolean':
			if (typeof value !== 'boolean') throw jsonError(field, value, 'boolean');
			return value;
		case 'int':
		case 'double':
		case 'currency': {
			const number =
				typeof value === 'number'
					? value
					: typeof value === 'string' && value.trim() !== ''
						? Number(value)
						: NaN;
			if (!Number.isFinite(number) || (field.type === 'int' && !Number.isInteger(number)))
				throw jsonError(field, value, field.type === 'int' ? 'int' : 'double');
			return number;
		}
		case 'date':
			if (typeof value !== 'string' || !DATE_ONLY.test(value) || Number.isNaN(Date.parse(value)))
				throw jsonError(field, value, 'date');
			return value;
		case 'datetime': {
			if (typeof value !== 'string') throw jsonError(field, value, 'datetime');
			const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
			if (Number.isNaN(ms)) throw jsonError(field, value, 'datetime');
			return new Date(ms).toISOString().replace('Z', '+0000');
		}
		default:
			if (typeof value === 'object') throw jsonError(field, value, 'string');
			return String(value);
	}
}

/** Resolves JSON keys to schema fields (case-insensitive); unknown keys refuse the request. */
export function resolveFields(
	object: SalesforceObject,
	input: Record<string, unknown>,
	skip: string[] = [],
): Map<SalesforceField, unknown> {
	const resolved = new Map<SalesforceField, unknown>();
	for (const [key, value] of Object.entries(input)) {
		if (key === 'attributes' || skip.includes(key.toLowerCase())) continue;
		const field = fieldOf(object, key);
		if (!field)
			throw new SalesforceRequestError(
				400,
				'INVALID_FIELD',
				`No such column '${key}' on sobject of type ${object.name}`,
			);
		resolved.set(field, coerce(field, value));
	}
	return resolved;
}

function referenceProblem(
	store: SandboxStore,
	field: SalesforceField,
	id: string,
): SaveError | undefined {
	const canonical = canonicalId(id);
	if (!canonical)
		return saveError('MALFORMED_ID', `${field.label}: id value of incorrect type: ${id}`, [
			field.name,
		]);
	const type = objectTypeOfId(canonical);
	const allowed = (field.referenceTo ?? []).map((target) =>
		target === 'ContentDocument' ? 'ContentNote' : target,
	);
	if (!type || !allowed.includes(type))
		return saveError(
			'FIELD_INTEGRITY_EXCEPTION',
			`${field.label}: id value of incorrect type: ${id}`,
			[field.name],
		);
	if (!findRecord(store, canonical))
		return saveError('INVALID_CROSS_REFERENCE_KEY', `${field.label}: invalid cross reference id`, [
			field.name,
		]);
	return undefined;
}

/** The record's values after the write, for rules that look at the whole record. */
function merged(
	object: SalesforceObject,
	existing: StoredRecord | undefined,
	changes: Record<string, unknown>,
): Record<string, unknown> {
	const current: Record<string, unknown> = {};
	if (existing)
		for (const field of object.fields) current[field.name] = fieldValue(object, existing, field);
	return { ...current, ...changes };
}

/** Validates one record; returns the fields to store or the record's errors. */
export function validateRecord(
	store: SandboxStore,
	object: SalesforceObject,
	fields: Map<SalesforceField, unknown>,
	mode: WriteMode,
	existing?: StoredRecord,
): ValidRecord | { errors: SaveError[] } {
	const errors: SaveError[] = [];
	const changes: Record<string, unknown> = {};
	const readOnly: string[] = [];
	for (const [field, raw] of fields) {
		if (field.calculated || (mode === 'update' && field.createOnly)) {
			readOnly.push(field.name);
			continue;
		}
		let value = raw;
		// Code picklists are case-insensitive and stored as the canonical (upper-case) code.
		if (typeof value === 'string' && field.addressCode) value = value.toUpperCase();
		if (typeof value === 'string') {
			if (field.length !== undefined && value.length > field.length) {
				errors.push(
					saveError(
						'STRING_TOO_LONG',
						`${field.label}: data value too large: ${value.slice(0, 40)}… (max length=${field.length})`,
						[field.name],
					),
				);
				continue;
			}
			if (field.type === 'email' && !EMAIL.test(value)) {
				errors.push(
					saveError('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${value}`, [
						field.name,
					]),
				);
				continue;
			}
			if (field.type === 'picklist' && field.restricted && !field.picklist?.includes(value)) {
				errors.push(
					saveError(
						'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
						`${field.label}: bad value for restricted picklist field: ${value}`,
						[field.name],
					),
				);
				continue;
			}
			if (field.type === 'reference') {
				const problem = referenceProblem(store, field, value);
				if (problem) {
					errors.push(problem);
					continue;
				}
				value = canonicalId(value);
			}
		}
		changes[field.name] = value;
	}
	if (readOnly.length > 0) {
		errors.push(
			saveError(
				'INVALID_FIELD_FOR_INSERT_UPDATE',
				`Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
				readOnly,
			),
		);
	}
	if (mode === 'create') {
		for (const field of object.fields)
			if (field.defaultValue !== undefined && changes[field.name] === undefined)
				changes[field.name] = field.defaultValue;
	}
	const after = merged(object, existing, changes);
	const missing = object.fields
		.filter(
			(field) => field.required && (after[field.name] === null || after[field.name] === undefined),
		)
		.map((field) => field.name);
	if (missing.length > 0)
		errors.push(
			saveError(
				'REQUIRED_FIELD_MISSING',
				`Required fields are missing: [${missing.join(', ')}]`,
				missing,
			),
		);
	errors.push(...addressCodeErrors(object.fields, after, new Set(Object.keys(changes))));
	errors.push(...recordRules(store, object, after));
	return errors.length > 0 ? { errors } : { fields: changes };
}

/** Object rules Salesforce enforces beyond single fields. */
function recordRules(
	store: SandboxStore,
	object: SalesforceObject,
	after: Record<string, unknown>,
): SaveError[] {
	const errors: SaveError[] = [];
	if (
		(object.name === 'Task' || object.name === 'Event') &&
		typeof after.WhoId === 'string' &&
		after.WhoId.startsWith('00Q') &&
		after.WhatId
	) {
		// A lead is not yet related to any account or opportunity.
		errors.push(
			saveError(
				'FIELD_INTEGRITY_EXCEPTION',
				'Related To ID: You can\'t associate an activity with a record in the "Related To" field when the "Name" field is a lead.',
				['WhatId'],
			),
		);
	}
	if (
		object.name === 'Event' &&
		typeof after.StartDateTime === 'string' &&
		typeof after.EndDateTime === 'string'
	) {
		if (
			Date.parse(after.EndDateTime.replace('+0000', 'Z')) <
			Date.parse(after.StartDateTime.replace('+0000', 'Z'))
		) {
			errors.push(
				saveError(
					'FIELD_INTEGRITY_EXCEPTION',
					"End Date Time: End time can't be before start time",
					['EndDateTime'],
				),
			);
		}
	}
	if (
		object.name === 'ContentDocumentLink' &&
		typeof after.ContentDocumentId === 'string' &&
		typeof after.LinkedEntityId === 'string'
	) {
		const duplicate = store
			.list('salesforce', 'ContentDocumentLink')
			.some(
				(link) =>
					link.fields.ContentDocumentId === after.ContentDocumentId &&
					link.fields.LinkedEntityId === after.LinkedEntityId,
			);
		if (duplicate) {
			errors.push(
				saveError(
					'DUPLICATE_VALUE',
					`Document with ID: ${after.ContentDocumentId} is already linked with the entity with ID: ${after.LinkedEntityId}`,
					['LinkedEntityId'],
				),
			);
		}
	}
	return errors;
}
