/**
 * Typed attributes for one poll: reads the Standard Attributes and Attribute Mapping settings,
 * resolves them against the CRM's object description (field options for enum labels; one
 * cached call, made only when attributes are asked for), and turns each record's properties
 * into `attributes` plus warnings. A value that does not convert never fails the poll.
 */
import { NodeOperationError, type IDataObject, type IPollFunctions } from 'n8n-workflow';

import type { CrmName } from '../shared/model';
import type { CrmProvider, RecordData } from '../shared/providers/CrmProvider';
import type { StandardAttributeName } from '../shared/providers/profile';
import { profileOf } from '../shared/providers/profiles';
import { isStandardAttribute, objectKindOf, standardPlan } from './logic/standardAttributes';
import {
	ATTRIBUTE_TYPES,
	attributeWarning,
	mapAttributes,
	type AttributeMapping,
	type AttributeType,
	type MappedFieldInfo,
} from './logic/typedAttributes';

export interface AttributeSettings {
	standard: StandardAttributeName[];
	mappings: AttributeMapping[];
}

export interface AttributePlan {
	mappings: AttributeMapping[];
	/** Attributes that are always null here (a ready mapping without a field). */
	unmapped: string[];
	fields: Map<string, MappedFieldInfo>;
}

export const NO_ATTRIBUTES: AttributePlan = { mappings: [], unmapped: [], fields: new Map() };

const ATTRIBUTE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface RawMapping {
	crmField?: unknown;
	attribute?: unknown;
	type?: unknown;
}

function isAttributeType(value: unknown): value is AttributeType {
	return typeof value === 'string' && (ATTRIBUTE_TYPES as readonly string[]).includes(value);
}

/** The settings, checked: every mapping names a field, a valid unique attribute and a type. */
export function readAttributeSettings(ctx: IPollFunctions): AttributeSettings {
	const rawStandard = ctx.getNodeParameter('standardAttributes', []) as unknown;
	const standard = (Array.isArray(rawStandard) ? rawStandard : []).filter(
		(name): name is StandardAttributeName => typeof name === 'string' && isStandardAttribute(name),
	);
	const collection = ctx.getNodeParameter('attributeMapping', {}) as { mappings?: RawMapping[] };
	const taken = new Set<string>(standard);
	const mappings = (collection.mappings ?? []).map((raw, index): AttributeMapping => {
		const where = `Attribute Mapping ${index + 1}`;
		const crmField = typeof raw.crmField === 'string' ? raw.crmField.trim() : '';
		if (crmField === '') throw new NodeOperationError(ctx.getNode(), `${where} needs a CRM field`);
		const named = typeof raw.attribute === 'string' ? raw.attribute.trim() : '';
		const attribute = named === '' ? crmField : named;
		if (!ATTRIBUTE_NAME.test(attribute))
			throw new NodeOperationError(
				ctx.getNode(),
				`${where}: attribute "${attribute}" may hold only letters, digits and underscores, not starting with a digit`,
			);
		if (taken.has(attribute))
			throw new NodeOperationError(
				ctx.getNode(),
				`${where}: attribute "${attribute}" is already set by another mapping or a standard attribute`,
			);
		taken.add(attribute);
		const type = raw.type ?? 'string';
		if (!isAttributeType(type))
			throw new NodeOperationError(
				ctx.getNode(),
				`${where}: type "${String(type)}" is not one of ${ATTRIBUTE_TYPES.join(', ')}`,
			);
		return { crmField, attribute, type };
	});
	return { standard, mappings };
}

/** Resolves the settings for the watched object; describes the object only when attributes are asked for. */
export async function attributePlanFor(
	provider: CrmProvider,
	crm: CrmName,
	objectType: string,
	settings: AttributeSettings,
): Promise<AttributePlan> {
	if (settings.standard.length === 0 && settings.mappings.length === 0) return NO_ATTRIBUTES;
	const description = await provider.describeObject(objectType);
	const byName = new Map(description.fields.map((field) => [field.name.toLowerCase(), field]));
	const profile = profileOf(crm);
	const ready = standardPlan(
		profile.standardAttributes,
		objectKindOf(profile, objectType),
		settings.standard,
		(field) => byName.has(field.toLowerCase()),
	);
	const mappings = [...ready.mappings, ...settings.mappings];
	const fields = new Map<string, MappedFieldInfo>();
	for (const mapping of mappings) {
		const described = byName.get(mapping.crmField.toLowerCase());
		if (described?.options) fields.set(mapping.crmField, { options: described.options });
	}
	return { mappings, unmapped: ready.unmapped, fields };
}

/** CRM fields the listing must return for the attributes. */
export function attributeFields(plan: AttributePlan): string[] {
	return plan.mappings.map((mapping) => mapping.crmField);
}

/** `attributes` (and `warnings` when a value did not convert) for one record's output item. */
export function attributesOf(record: RecordData, plan: AttributePlan): IDataObject {
	if (plan.mappings.length === 0 && plan.unmapped.length === 0) return {};
	const { attributes, problems } = mapAttributes(record.properties, plan.mappings, plan.fields);
	for (const name of plan.unmapped) attributes[name] = null;
	const output: IDataObject = { attributes: attributes as IDataObject };
	if (problems.length > 0)
		output.warnings = problems.map((problem) => attributeWarning(record.id, problem));
	return output;
}
