/**
 * Creates, updates and deletes with Dataverse's rules: columns checked against the table
 * (unknown ⇒ 400, lookups only through `@odata.bind` on declared navigation properties,
 * bound records must exist), values checked by type, length and option set, activity
 * parties deep-inserted, and a journal so a failed change set can be rolled back.
 */
import type { SandboxStore, StoredRecord } from '../../core/store';
import { badRequest, CODES, DataverseError, duplicateKey, notFound } from './errors';
import { LOGICAL_NAME_ANNOTATION } from './rows';
import {
	attributeOf,
	columnName,
	entityByLogicalName,
	entityBySet,
	idSpaceOf,
	isLookup,
	type DataverseAttribute,
	type DataverseEntity,
} from './schema';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Undo steps of the writes in one change set, newest first when rolled back. */
export class Journal {
	private readonly undo: Array<() => void> = [];

	constructor(private readonly store: SandboxStore) {}

	created(entity: string, id: string): void {
		this.undo.push(() => this.store.remove('dynamics', entity, id, false));
	}

	updated(record: StoredRecord): void {
		const fields = { ...record.fields };
		const updatedAt = record.updatedAt;
		this.undo.push(() => {
			record.fields = fields;
			record.updatedAt = updatedAt;
		});
	}

	deleted(entity: string, record: StoredRecord): void {
		this.undo.push(
			() => void this.store.insert('dynamics', entity, record.id, record.fields, record.createdAt),
		);
	}

	rollback(): void {
		for (const step of this.undo.reverse()) step();
		this.undo.length = 0;
	}
}

export interface WriteContext {
	store: SandboxStore;
	newId: () => string;
	journal?: Journal;
}

function conversionError(
	entity: DataverseEntity,
	attribute: DataverseAttribute,
	value: unknown,
	edm: string,
): DataverseError {
	return badRequest(
		`Error identified in Payload provided by the user for Entity :'${entity.entitySet}', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ----> InnerException : Microsoft.OData.ODataException: Cannot convert the literal '${String(value)}' to the expected type '${edm}'. (${attribute.name})`,
	);
}

function validation(message: string): DataverseError {
	return new DataverseError(400, CODES.validation, `A validation error occurred. ${message}`);
}

/** One JSON value → the stored value for the column, or an error. */
function coerce(entity: DataverseEntity, attribute: DataverseAttribute, value: unknown): unknown {
	if (value === null) return null;
	switch (attribute.type) {
		case 'String':
		case 'Memo':
			if (typeof value !== 'string') throw conversionError(entity, attribute, value, 'Edm.String');
			if (attribute.maxLength !== undefined && value.length > attribute.maxLength) {
				throw validation(
					`The length of the '${attribute.name}' attribute of the '${entity.logicalName}' entity exceeded the maximum allowed length of '${attribute.maxLength}'.`,
				);
			}
			return value;
		case 'Integer':
		case 'Money':
			if (typeof value !== 'number' || (attribute.type === 'Integer' && !Number.isInteger(value))) {
				throw conversionError(
					entity,
					attribute,
					value,
					attribute.type === 'Integer' ? 'Edm.Int32' : 'Edm.Decimal',
				);
			}
			return value;
		case 'Boolean':
			if (typeof value !== 'boolean')
				throw conversionError(entity, attribute, value, 'Edm.Boolean');
			return value;
		case 'Picklist':
		case 'State':
		case 'Status': {
			if (typeof value !== 'number' || !Number.isInteger(value))
				throw conversionError(entity, attribute, value, 'Edm.Int32');
			const options = attribute.options ?? [];
			if (!options.some(([option]) => option === value)) {
				throw validation(
					`The value ${value} of '${attribute.name}' on record of type '${entity.logicalName}' is outside the valid range. Accepted Values: ${options.map(([option]) => option).join(',')}`,
				);
			}
			return value;
		}
		case 'DateTime': {
			const ms = typeof value === 'string' ? Date.parse(value) : NaN;
			if (Number.isNaN(ms))
				throw conversionError(
					entity,
					attribute,
					value,
					attribute.dateOnly ? 'Edm.Date' : 'Edm.DateTimeOffset',
				);
			return attribute.dateOnly
				? String(value).slice(0, 10)
				: new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
		}
		case 'Uniqueidentifier':
			if (typeof value !== 'string' || !GUID.test(value))
				throw conversionError(entity, attribute, value, 'Edm.Guid');
			return value.toLowerCase();
		default:
			throw conversionError(entity, attribute, value, 'Edm.String');
	}
}

/** `/contacts(<guid>)`, `contacts(<guid>)` or an absolute URL → the bound record. */
function bindTarget(store: SandboxStore, value: unknown): { entity: DataverseEntity; id: string } {
	const match =
		typeof value === 'string' ? /(?:^|\/)([A-Za-z_]+)\(([0-9a-fA-F-]{36})\)$/.exec(value) : null;
	const entity = match ? entityBySet(match[1]) : undefined;
	if (!match || !entity)
		throw badRequest(
			`The @odata.bind value '${String(value)}' is not a valid entity reference URL.`,
		);
	const id = match[2].toLowerCase();
	if (!store.get('dynamics', entity.logicalName, id)) throw notFound(entity, id);
	return { entity, id };
}

function undeclared(entity: DataverseEntity, name: string): DataverseError {
	return badRequest(
		`An undeclared property '${name}' which only has property annotations in the payload but no property value was found in the payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values. (entity set '${entity.entitySet}')`,
	);
}

export interface PreparedWrite {
	fields: Record<string, unknown>;
	parties: Array<Record<string, unknown>>;
}

/** Checks a request body against the table; throws the error Dataverse would answer. */
export function prepareWrite(
	store: SandboxStore,
	entity: DataverseEntity,
	body: unknown,
	creating: boolean,
): PreparedWrite {
	if (typeof body !== 'object' || body === null || Array.isArray(body))
		throw badRequest('The request body must be a JSON object.');
	const fields: Record<string, unknown> = {};
	let parties: Array<Record<string, unknown>> = [];
	for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
		if (key === '@odata.type') continue;
		if (key.endsWith('@odata.bind')) {
			const name = key.slice(0, -'@odata.bind'.length);
			const navigation = entity.navigation.find((candidate) => candidate.name === name);
			if (!navigation) throw undeclared(entity, name);
			const target = bindTarget(store, value);
			if (target.entity.logicalName !== navigation.target) {
				throw badRequest(
					`The navigation property '${name}' expects a ${navigation.target} but the bind refers to a ${target.entity.logicalName}.`,
				);
			}
			const attribute = attributeOf(entity, navigation.attribute)!;
			fields[columnName(attribute)] = target.id;
			fields[`${columnName(attribute)}${LOGICAL_NAME_ANNOTATION}`] = target.entity.logicalName;
			continue;
		}
		if (key === entity.partiesProperty) {
			if (!creating)
				throw badRequest(`The collection '${key}' can only be set on create in the sandbox.`);
			if (!Array.isArray(value)) throw badRequest(`'${key}' must be an array of activity parties.`);
			const partyEntity = entityByLogicalName('activityparty')!;
			parties = value.map((party) => prepareWrite(store, partyEntity, party, true).fields);
			continue;
		}
		const attribute = attributeOf(entity, key);
		if (!attribute) {
			if (/^_.+_value$/.test(key))
				throw new DataverseError(
					400,
					CODES.unknownProperty,
					'CRM do not support direct update of Entity Reference properties, Use Navigation properties instead.',
				);
			throw new DataverseError(
				400,
				CODES.unknownProperty,
				`The property '${key}' does not exist on type 'Microsoft.Dynamics.CRM.${entity.logicalName}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
			);
		}
		if (isLookup(attribute)) throw undeclared(entity, key);
		if (attribute.readOnly) continue; // Dataverse ignores read-only columns in a payload.
		fields[attribute.name] = coerce(entity, attribute, value);
	}
	if (creating) {
		for (const attribute of entity.attributes) {
			if (
				attribute.required === 'SystemRequired' &&
				(fields[attribute.name] === undefined || fields[attribute.name] === null)
			) {
				throw validation(`'${attribute.name}' is required on ${entity.logicalName}.`);
			}
		}
	}
	return { fields, parties };
}

function defaults(
	entity: DataverseEntity,
	fields: Record<string, unknown>,
): Record<string, unknown> {
	const out = { ...fields };
	if (attributeOf(entity, 'statecode') && out.statecode === undefined) out.statecode = 0;
	if (attributeOf(entity, 'statuscode') && out.statuscode === undefined)
		out.statuscode = attributeOf(entity, 'statuscode')!.options![0][0];
	if (entity.logicalName === 'annotation') {
		out.isdocument ??= false;
		if (out._objectid_value) out.objecttypecode = out[`_objectid_value${LOGICAL_NAME_ANNOTATION}`];
	}
	return out;
}

export function createRecord(
	ctx: WriteContext,
	entity: DataverseEntity,
	prepared: PreparedWrite,
	id?: string,
): StoredRecord {
	const primary = prepared.fields[entity.primaryId];
	const recordId = id ?? (typeof primary === 'string' ? primary : ctx.newId());
	const { [entity.primaryId]: _primary, ...fields } = prepared.fields;
	if (idSpaceOf(entity).some((table) => ctx.store.get('dynamics', table.logicalName, recordId)))
		throw duplicateKey();
	const record = ctx.store.insert(
		'dynamics',
		entity.logicalName,
		recordId,
		defaults(entity, fields),
	);
	ctx.journal?.created(entity.logicalName, recordId);
	for (const party of prepared.parties) {
		const partyId = ctx.newId();
		ctx.store.insert('dynamics', 'activityparty', partyId, {
			...party,
			_activityid_value: recordId,
			[`_activityid_value${LOGICAL_NAME_ANNOTATION}`]: entity.logicalName,
		});
		ctx.journal?.created('activityparty', partyId);
	}
	return record;
}

export function updateRecord(
	ctx: WriteContext,
	entity: DataverseEntity,
	record: StoredRecord,
	prepared: PreparedWrite,
): StoredRecord {
	ctx.journal?.updated(record);
	const { [entity.primaryId]: _primary, ...fields } = prepared.fields;
	const changes =
		entity.logicalName === 'annotation' && fields._objectid_value
			? { ...fields, objecttypecode: fields[`_objectid_value${LOGICAL_NAME_ANNOTATION}`] }
			: fields;
	return ctx.store.update('dynamics', entity.logicalName, record.id, changes)!;
}

export function deleteRecord(ctx: WriteContext, entity: DataverseEntity, id: string): void {
	const record = ctx.store.get('dynamics', entity.logicalName, id);
	if (!record) throw notFound(entity, id);
	ctx.store.remove('dynamics', entity.logicalName, id);
	ctx.journal?.deleted(entity.logicalName, record);
}
