/**
 * Writes through sObject Collections (create / update / upsert by external id, ≤ 200
 * records, allOrNone) and single-record saves, sharing one validation path.
 */
import type { VendorContext } from '../../core/types';
import { saveError, SalesforceRequestError, type SaveError } from './errors';
import { canonicalId, objectTypeOfId, salesforceId } from './ids';
import { fieldOf, salesforceObject, type SalesforceObject } from './schema';
import { fieldValue } from './values';
import { resolveFields, validateRecord } from './writes';

export const COLLECTION_LIMIT = 200;

export interface SaveResult {
	id?: string | null;
	success: boolean;
	errors: SaveError[];
	created?: boolean;
}

/** A validated write waiting for the allOrNone decision. */
type Planned = { apply: () => string; created: boolean } | { errors: SaveError[] };

const ROLLED_BACK = saveError(
	'ALL_OR_NONE_OPERATION_ROLLED_BACK',
	'Record rolled back because not all records were valid and the request was using AllOrNone header',
);

function asRecord(value: unknown): Record<string, unknown> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new SalesforceRequestError(400, 'JSON_PARSER_ERROR', 'Each record must be a JSON object');
	}
	return value as Record<string, unknown>;
}

export function objectOf(record: Record<string, unknown>, fallback?: string): SalesforceObject {
	const attributes = record.attributes as { type?: unknown } | undefined;
	const type = typeof attributes?.type === 'string' ? attributes.type : fallback;
	if (!type)
		throw new SalesforceRequestError(400, 'INVALID_TYPE', 'Must send a concrete entity type.');
	const object = salesforceObject(type);
	if (!object)
		throw new SalesforceRequestError(
			400,
			'INVALID_TYPE',
			`sObject type '${type}' is not supported.`,
		);
	return object;
}

function idOf(record: Record<string, unknown>): unknown {
	return Object.entries(record).find(([key]) => key.toLowerCase() === 'id')?.[1];
}

export function planCreate(
	ctx: VendorContext,
	object: SalesforceObject,
	record: Record<string, unknown>,
): Planned {
	if (idOf(record) !== undefined)
		return {
			errors: [
				saveError('INVALID_FIELD_FOR_INSERT_UPDATE', 'cannot specify Id in an insert call', ['Id']),
			],
		};
	const result = validateRecord(ctx.store, object, resolveFields(object, record), 'create');
	if ('errors' in result) return result;
	return {
		created: true,
		apply: () => {
			const id = salesforceId(object.name, 1000 + ctx.store.nextSequence('salesforce'));
			ctx.store.insert('salesforce', object.name, id, result.fields);
			return id;
		},
	};
}

export function planUpdate(
	ctx: VendorContext,
	record: Record<string, unknown>,
	type?: string,
): Planned {
	const rawId = idOf(record);
	if (typeof rawId !== 'string' || rawId === '')
		return {
			errors: [saveError('MISSING_ARGUMENT', 'Id not specified in an update call', ['Id'])],
		};
	const id = canonicalId(rawId);
	if (!id) return { errors: [saveError('MALFORMED_ID', `malformed id ${rawId}`, ['Id'])] };
	const object = objectOf(record, type ?? objectTypeOfId(id));
	const existing = ctx.store.get('salesforce', object.name, id);
	if (!existing)
		return {
			errors: [saveError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['Id'])],
		};
	if (object.name === 'Lead' && existing.fields.IsConverted === true)
		return {
			errors: [saveError('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead', [])],
		};
	const result = validateRecord(
		ctx.store,
		object,
		resolveFields(object, record, ['id']),
		'update',
		existing,
	);
	if ('errors' in result) return result;
	return {
		created: false,
		apply: () => {
			ctx.store.update('salesforce', object.name, id, result.fields);
			return id;
		},
	};
}

function planUpsert(
	ctx: VendorContext,
	object: SalesforceObject,
	fieldName: string,
	record: Record<string, unknown>,
): Planned {
	const key = Object.entries(record).find(
		([name]) => name.toLowerCase() === fieldName.toLowerCase(),
	)?.[1];
	if (key === undefined || key === null || key === '') {
		return { errors: [saveError('MISSING_ARGUMENT', `${fieldName} not specified`, [fieldName])] };
	}
	const field = fieldOf(object, fieldName)!;
	const wanted = String(key).toLowerCase();
	const found = ctx.store
		.list('salesforce', object.name)
		.filter(
			(existing) => String(fieldValue(object, existing, field) ?? '').toLowerCase() === wanted,
		);
	if (found.length > 1) {
		return {
			errors: [
				saveError(
					'DUPLICATE_EXTERNAL_ID',
					`${field.label}: more than one record found for external id field: ${found.map((r) => r.id).join(', ')}`,
					[field.name],
				),
			],
		};
	}
	if (found.length === 0) return planCreate(ctx, object, record);
	return planUpdate(ctx, { ...record, attributes: { type: object.name }, Id: found[0].id });
}

/** Applies every plan, or none when allOrNone and one failed. */
function settle(plans: Planned[], allOrNone: boolean, withCreated: boolean): SaveResult[] {
	const failed = plans.some((plan) => 'errors' in plan);
	return plans.map((plan): SaveResult => {
		if ('errors' in plan) return { success: false, errors: plan.errors };
		if (failed && allOrNone) return { success: false, errors: [ROLLED_BACK] };
		const id = plan.apply();
		return withCreated
			? { id, success: true, errors: [], created: plan.created }
			: { id, success: true, errors: [] };
	});
}

function collectionBody(body: unknown): {
	records: Array<Record<string, unknown>>;
	allOrNone: boolean;
} {
	const input = asRecord(body);
	if (!Array.isArray(input.records))
		throw new SalesforceRequestError(400, 'JSON_PARSER_ERROR', 'records is required');
	if (input.records.length > COLLECTION_LIMIT) {
		throw new SalesforceRequestError(
			400,
			'EXCEEDED_ID_LIMIT',
			`record limit reached. cannot submit more than ${COLLECTION_LIMIT} records into this call`,
		);
	}
	return { records: input.records.map(asRecord), allOrNone: input.allOrNone === true };
}

export function createCollection(ctx: VendorContext, body: unknown): SaveResult[] {
	const { records, allOrNone } = collectionBody(body);
	return settle(
		records.map((record) => planCreate(ctx, objectOf(record), record)),
		allOrNone,
		false,
	);
}

export function updateCollection(ctx: VendorContext, body: unknown): SaveResult[] {
	const { records, allOrNone } = collectionBody(body);
	return settle(
		records.map((record) => planUpdate(ctx, record)),
		allOrNone,
		false,
	);
}

export function upsertCollection(
	ctx: VendorContext,
	type: string,
	fieldName: string,
	body: unknown,
): SaveResult[] {
	const object = objectOf({}, type);
	const field = fieldOf(object, fieldName);
	if (!field || !(field.externalId || field.name === 'Id')) {
		throw new SalesforceRequestError(
			400,
			'INVALID_FIELD',
			`Field ${fieldName} is not a valid external id field for ${object.name}`,
		);
	}
	const { records, allOrNone } = collectionBody(body);
	return settle(
		records.map((record) => planUpsert(ctx, object, field.name, record)),
		allOrNone,
		true,
	);
}

/** A single-record save: the id, or a request error in Salesforce's array shape. */
export function saveOne(plan: Planned): string {
	if ('errors' in plan) {
		const [first, ...more] = plan.errors;
		throw new SalesforceRequestError(400, first.statusCode, first.message, first.fields, more);
	}
	return plan.apply();
}
