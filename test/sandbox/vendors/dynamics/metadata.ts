/**
 * EntityDefinitions: a table's definition, its Attributes, and the typed casts the pack
 * reads (Picklist/State/Status/MultiSelectPicklist with `$expand=OptionSet,GlobalOptionSet`,
 * DateTime `Format`, String `FormatName`), in Dataverse's metadata shapes.
 */
import { createHash } from 'node:crypto';

import { DataverseError, unknownSegment } from './errors';
import {
	entityByLogicalName,
	isLookup,
	type DataverseAttribute,
	type DataverseEntity,
} from './schema';

const TYPE_NAMES: Record<string, string> = {
	Uniqueidentifier: 'UniqueidentifierType',
	String: 'StringType',
	Memo: 'MemoType',
	Integer: 'IntegerType',
	Money: 'MoneyType',
	Boolean: 'BooleanType',
	DateTime: 'DateTimeType',
	Picklist: 'PicklistType',
	State: 'StateType',
	Status: 'StatusType',
	Lookup: 'LookupType',
	Customer: 'CustomerType',
	Owner: 'OwnerType',
	EntityName: 'EntityNameType',
};

const CASTS: Record<string, (attribute: DataverseAttribute) => boolean> = {
	PicklistAttributeMetadata: (a) => a.type === 'Picklist',
	MultiSelectPicklistAttributeMetadata: () => false,
	StateAttributeMetadata: (a) => a.type === 'State',
	StatusAttributeMetadata: (a) => a.type === 'Status',
	DateTimeAttributeMetadata: (a) => a.type === 'DateTime',
	StringAttributeMetadata: (a) => a.type === 'String',
	LookupAttributeMetadata: (a) => isLookup(a),
};

function label(text: string) {
	const localized = { Label: text, LanguageCode: 1033, IsManaged: true };
	return { LocalizedLabels: [localized], UserLocalizedLabel: localized };
}

/** Stable metadata ids derived from the names, as Dataverse's are stable per org. */
function metadataId(...parts: string[]): string {
	const hex = createHash('sha1').update(parts.join('/')).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function findEntityDefinition(key: string): DataverseEntity {
	const match = /^LogicalName='([^']*)'$/.exec(key);
	const entity = match ? entityByLogicalName(match[1]) : undefined;
	if (!entity)
		throw new DataverseError(
			404,
			'0x80040217',
			`Could not find entity with name '${match?.[1] ?? key}'`,
		);
	return entity;
}

function pick(row: Record<string, unknown>, select: string | null): Record<string, unknown> {
	if (!select) return row;
	const wanted = new Set(['MetadataId', ...select.split(',').map((name) => name.trim())]);
	return Object.fromEntries(
		Object.entries(row).filter(([key]) => wanted.has(key) || key.startsWith('@')),
	);
}

export function entityDefinition(
	entity: DataverseEntity,
	select: string | null,
): Record<string, unknown> {
	return pick(
		{
			MetadataId: metadataId(entity.logicalName),
			LogicalName: entity.logicalName,
			EntitySetName: entity.entitySet,
			PrimaryIdAttribute: entity.primaryId,
			PrimaryNameAttribute: entity.primaryName,
			IsActivity: ['phonecall', 'task', 'appointment'].includes(entity.logicalName),
			DisplayName: label(entity.logicalName),
		},
		select,
	);
}

function attributeRow(
	entity: DataverseEntity,
	attribute: DataverseAttribute,
	attributeOf: string | null = null,
	typeOverride?: DataverseAttribute['type'],
): Record<string, unknown> {
	const type = typeOverride ?? attribute.type;
	const writable = !attribute.readOnly && !attribute.primaryId && attributeOf === null;
	return {
		'@odata.type': `#Microsoft.Dynamics.CRM.${type === 'Uniqueidentifier' ? 'UniqueIdentifier' : type}AttributeMetadata`,
		MetadataId: metadataId(entity.logicalName, attribute.name, attributeOf ?? ''),
		LogicalName: attribute.name,
		SchemaName: attribute.name,
		AttributeType: type,
		AttributeTypeName: { Value: TYPE_NAMES[type] },
		AttributeOf: attributeOf,
		DisplayName: label(attribute.label),
		IsValidForCreate: writable || attribute.primaryId === true,
		IsValidForUpdate: writable,
		IsValidForRead: true,
		RequiredLevel: {
			Value: attribute.required ?? (attribute.primaryId ? 'SystemRequired' : 'None'),
			CanBeChanged: true,
			ManagedPropertyLogicalName: 'canmodifyrequirementlevelsettings',
		},
		IsPrimaryId: attribute.primaryId === true,
		IsPrimaryName: attribute.primaryName === true,
	};
}

/** Every attribute row, plus the helper columns Dataverse adds for lookups (`<name>name`, `<name>type`). */
function allAttributeRows(entity: DataverseEntity): Array<Record<string, unknown>> {
	return entity.attributes.flatMap((attribute) => {
		const rows = [attributeRow(entity, attribute)];
		if (isLookup(attribute)) {
			rows.push(
				attributeRow(
					entity,
					{ name: `${attribute.name}name`, label: attribute.label, type: 'String' },
					attribute.name,
				),
			);
			if (attribute.type !== 'Lookup')
				rows.push(
					attributeRow(
						entity,
						{ name: `${attribute.name}type`, label: attribute.label, type: 'EntityName' },
						attribute.name,
						'EntityName',
					),
				);
		}
		return rows;
	});
}

function optionSet(entity: DataverseEntity, attribute: DataverseAttribute) {
	return {
		MetadataId: metadataId(entity.logicalName, attribute.name, 'options'),
		Name: `${entity.logicalName}_${attribute.name}`,
		IsGlobal: false,
		OptionSetType: attribute.type,
		Options: (attribute.options ?? []).map(([value, text]) => ({
			Value: value,
			Label: label(text),
			Color: null,
			IsManaged: true,
		})),
	};
}

function castRow(
	entity: DataverseEntity,
	attribute: DataverseAttribute,
	cast: string,
	expand: string | null,
): Record<string, unknown> {
	const row: Record<string, unknown> = { ...attributeRow(entity, attribute) };
	if (cast === 'DateTimeAttributeMetadata')
		row.Format = attribute.dateOnly ? 'DateOnly' : 'DateAndTime';
	if (cast === 'StringAttributeMetadata') {
		row.Format = attribute.format ?? 'Text';
		row.FormatName = { Value: attribute.format ?? 'Text' };
		row.MaxLength = attribute.maxLength ?? 100;
	}
	if (cast === 'LookupAttributeMetadata') row.Targets = attribute.targets ?? [];
	if (expand?.includes('OptionSet')) {
		row.OptionSet = optionSet(entity, attribute);
		if (/GlobalOptionSet/.test(expand)) row.GlobalOptionSet = null;
	}
	return row;
}

/** `Attributes` or `Attributes/Microsoft.Dynamics.CRM.<Cast>` of a table. */
export function attributesOf(
	entity: DataverseEntity,
	cast: string | undefined,
	select: string | null,
	expand: string | null,
	serviceRoot: string,
) {
	if (cast === undefined) {
		return {
			'@odata.context': `${serviceRoot}$metadata#EntityDefinitions('${entity.logicalName}')/Attributes`,
			value: allAttributeRows(entity).map((row) => pick(row, select)),
		};
	}
	const name = cast.replace(/^Microsoft\.Dynamics\.CRM\./, '');
	const applies = CASTS[name];
	if (!applies) throw unknownSegment(cast);
	const rows = entity.attributes
		.filter(applies)
		.map((attribute) => castRow(entity, attribute, name, expand));
	return {
		'@odata.context': `${serviceRoot}$metadata#EntityDefinitions('${entity.logicalName}')/Attributes/Microsoft.Dynamics.CRM.${name}`,
		value: rows.map((row) => {
			const picked = pick(row, select);
			for (const key of ['OptionSet', 'GlobalOptionSet']) if (key in row) picked[key] = row[key];
			return picked;
		}),
	};
}
