/**
 * Table metadata from EntityDefinitions: entity set / primary id of tables we do not know
 * by heart, and describeObject (columns + option sets) as a neutral ObjectDescription.
 * The attribute list and every option-set cast go in ONE $batch; results are cached.
 */
import { odataLiteral } from '../../logic/escape';
import type { FieldDescription, FieldOption, ObjectDescription } from '../CrmProvider';
import { credentialCache, type CacheRead } from '../metadataCache';
import type { BatchGroup } from './batch';
import type { DynamicsClient } from './client';
import { batchPartError } from './errors';
import { knownEntity, type EntityInfo } from './entities';
import { identifier } from './odata';
import { collectionRows } from './rows';

interface Label {
	UserLocalizedLabel?: { Label?: string } | null;
	LocalizedLabels?: Array<{ Label?: string }>;
}

interface AttributeRow {
	LogicalName: string;
	AttributeType?: string;
	AttributeTypeName?: { Value?: string } | null;
	AttributeOf?: string | null;
	DisplayName?: Label | null;
	IsValidForCreate?: boolean | null;
	IsValidForUpdate?: boolean | null;
	IsValidForRead?: boolean | null;
	RequiredLevel?: { Value?: string } | null;
	IsPrimaryId?: boolean | null;
	IsPrimaryName?: boolean | null;
}

interface OptionSetRow {
	LogicalName: string;
	OptionSet?: { Options?: Array<{ Value: number; Label?: Label | null }> } | null;
	GlobalOptionSet?: { Options?: Array<{ Value: number; Label?: Label | null }> } | null;
}

interface FormatRow {
	LogicalName: string;
	Format?: string | null;
	FormatName?: { Value?: string } | null;
}

const OPTION_SET_CASTS = [
	'PicklistAttributeMetadata',
	'MultiSelectPicklistAttributeMetadata',
	'StateAttributeMetadata',
	'StatusAttributeMetadata',
] as const;

const ATTRIBUTE_SELECT =
	'LogicalName,AttributeType,AttributeTypeName,AttributeOf,DisplayName,IsValidForCreate,IsValidForUpdate,IsValidForRead,RequiredLevel,IsPrimaryId,IsPrimaryName';

/** String formats that make a column a natural match key. */
const MATCH_FORMATS = new Set(['Email', 'Phone']);

/** Table definitions and descriptions of every Dataverse credential in this process. */
const entities = credentialCache<EntityInfo>();
const descriptions = credentialCache<ObjectDescription>();

export class DynamicsMetadata {
	constructor(
		private readonly client: DynamicsClient,
		/** The credential and org the process-wide caches keep this provider's entries under. */
		private readonly scope: string,
		private readonly ttlMs?: number,
		private readonly now: () => number = Date.now,
	) {}

	private read(refresh = false): CacheRead {
		return { refresh, ttlMs: this.ttlMs, now: this.now };
	}

	/** Entity set and primary id for a logical name or entity set name. */
	async entity(objectType: string): Promise<EntityInfo> {
		const known = knownEntity(objectType);
		if (known) return known;
		const logicalName = identifier(objectType.toLowerCase());
		return await entities.get(
			this.scope,
			logicalName,
			async () => {
				const row = await this.client.getJson<{
					LogicalName: string;
					EntitySetName: string;
					PrimaryIdAttribute: string;
				}>(
					`EntityDefinitions(LogicalName=${odataLiteral(logicalName)})?$select=LogicalName,EntitySetName,PrimaryIdAttribute`,
					`GET EntityDefinitions(${logicalName})`,
				);
				return {
					logicalName: row.LogicalName,
					entitySet: row.EntitySetName,
					primaryId: row.PrimaryIdAttribute,
				};
			},
			this.read(),
		);
	}

	async describe(objectType: string, refresh = false): Promise<ObjectDescription> {
		const logicalName = (
			knownEntity(objectType)?.logicalName ?? identifier(objectType)
		).toLowerCase();
		return await descriptions.get(
			this.scope,
			logicalName,
			async () => await this.load(logicalName),
			this.read(refresh),
		);
	}

	private async load(logicalName: string): Promise<ObjectDescription> {
		const base = `EntityDefinitions(LogicalName=${odataLiteral(logicalName)})/Attributes`;
		const paths = [
			`${base}?$select=${ATTRIBUTE_SELECT}`,
			...OPTION_SET_CASTS.map(
				(cast) =>
					`${base}/Microsoft.Dynamics.CRM.${cast}?$select=LogicalName&$expand=OptionSet($select=Options),GlobalOptionSet($select=Options)`,
			),
			`${base}/Microsoft.Dynamics.CRM.DateTimeAttributeMetadata?$select=LogicalName,Format`,
			`${base}/Microsoft.Dynamics.CRM.StringAttributeMetadata?$select=LogicalName,FormatName`,
		];
		const groups: BatchGroup[] = paths.map((path) => ({
			kind: 'read',
			operation: { method: 'GET', url: this.client.url(path) },
		}));
		const label = `POST $batch (describe ${logicalName})`;
		const responses = await this.client.batch(groups, { label, idempotent: true });
		const bodies = responses.map((parts) => {
			const part = parts[0];
			if (!part || part.status >= 400) throw batchPartError(label, part?.status, part?.body ?? '');
			return part.body;
		});
		const attributes = collectionRows(bodies[0]) as unknown as AttributeRow[];
		const optionRows = bodies
			.slice(1, 1 + OPTION_SET_CASTS.length)
			.flatMap((body) => collectionRows(body) as unknown as OptionSetRow[]);
		const dateRows = collectionRows(bodies[1 + OPTION_SET_CASTS.length]) as unknown as FormatRow[];
		const stringRows = collectionRows(
			bodies[2 + OPTION_SET_CASTS.length],
		) as unknown as FormatRow[];

		const options = new Map<string, FieldOption[]>();
		for (const row of optionRows) {
			const list = row.OptionSet?.Options?.length
				? row.OptionSet.Options
				: (row.GlobalOptionSet?.Options ?? []);
			options.set(
				row.LogicalName,
				list.map((option) => ({
					value: String(option.Value),
					label: labelText(option.Label) || String(option.Value),
				})),
			);
		}
		const dateOnly = new Set(
			dateRows.filter((row) => row.Format === 'DateOnly').map((row) => row.LogicalName),
		);
		const matchable = new Set(
			stringRows
				.filter((row) => MATCH_FORMATS.has(row.FormatName?.Value ?? ''))
				.map((row) => row.LogicalName),
		);

		const fields = attributes
			.filter(
				(row) =>
					!row.AttributeOf && row.IsValidForRead !== false && row.AttributeType !== 'EntityName',
			)
			.filter(
				(row) =>
					row.AttributeType !== 'Virtual' ||
					row.AttributeTypeName?.Value === 'MultiSelectPicklistType',
			)
			.map((row) =>
				toField(
					row,
					options.get(row.LogicalName),
					dateOnly.has(row.LogicalName),
					matchable.has(row.LogicalName),
				),
			)
			.sort((a, b) => a.name.localeCompare(b.name));
		return { objectType: logicalName, fields, fetchedAt: this.now() };
	}
}

function labelText(label: Label | null | undefined): string {
	return label?.UserLocalizedLabel?.Label ?? label?.LocalizedLabels?.[0]?.Label ?? '';
}

/** Dataverse attribute type → neutral field type. */
export function neutralType(row: AttributeRow, dateOnly: boolean): string {
	switch (row.AttributeType) {
		case 'String':
		case 'Memo':
			return 'string';
		case 'Integer':
		case 'BigInt':
		case 'Decimal':
		case 'Double':
		case 'Money':
			return 'number';
		case 'Boolean':
			return 'boolean';
		case 'DateTime':
			return dateOnly ? 'date' : 'datetime';
		case 'Picklist':
		case 'State':
		case 'Status':
			return 'enum';
		case 'Virtual':
			return row.AttributeTypeName?.Value === 'MultiSelectPicklistType' ? 'multiEnum' : 'other';
		case 'Lookup':
		case 'Customer':
		case 'Owner':
			return 'reference';
		default:
			return 'other';
	}
}

function toField(
	row: AttributeRow,
	options: FieldOption[] | undefined,
	dateOnly: boolean,
	matchFormat: boolean,
): FieldDescription {
	const field: FieldDescription = {
		name: row.LogicalName,
		label: labelText(row.DisplayName) || row.LogicalName,
		type: neutralType(row, dateOnly),
		nativeType: row.AttributeTypeName?.Value ?? row.AttributeType ?? 'unknown',
		readOnly: !row.IsValidForCreate && !row.IsValidForUpdate,
		required:
			Boolean(row.IsValidForCreate) &&
			['SystemRequired', 'ApplicationRequired'].includes(row.RequiredLevel?.Value ?? ''),
		canBeUsedToMatch: Boolean(row.IsPrimaryId) || matchFormat,
	};
	if (options) field.options = options;
	return field;
}
