/**
 * describeObject: `/crm/v3/properties/{object}` → neutral field descriptions (types,
 * picklists, match keys), cached process-wide per credential + object. Meeting types are the
 * options of the meetings object's `hs_activity_type` field.
 */
import type { FieldDescription, ObjectDescription } from '../CrmProvider';
import { credentialCache, type CacheRead } from '../metadataCache';
import type { PropertyDefinition, PropertyOption } from './client';
import type { HubSpotSession } from './session';

const descriptions = credentialCache<ObjectDescription>();

/** HubSpot property type/fieldType → neutral field type. */
export function neutralType(property: Pick<PropertyDefinition, 'type' | 'fieldType'>): string {
	switch (property.type) {
		case 'string':
		case 'phone_number':
			return 'string';
		case 'number':
			return 'number';
		case 'bool':
			return 'boolean';
		case 'date':
			return 'date';
		case 'datetime':
			return 'datetime';
		case 'enumeration':
			if (property.fieldType === 'booleancheckbox') return 'boolean';
			return property.fieldType === 'checkbox' ? 'multiEnum' : 'enum';
		default:
			return 'other';
	}
}

/** Properties HubSpot accepts as an upsert/lookup key besides those marked unique. */
const MATCH_KEYS = new Set(['email', 'hs_object_id', 'domain']);

/** HubSpot shows options with displayOrder -1 (or none) after the numbered ones. */
function displayPosition(option: PropertyOption): number {
	const order = option.displayOrder;
	return typeof order === 'number' && order >= 0 ? order : Number.MAX_SAFE_INTEGER;
}

export function describeProperty(property: PropertyDefinition): FieldDescription {
	const type = neutralType(property);
	const description: FieldDescription = {
		name: property.name,
		label: property.label,
		type,
		nativeType: `${property.type}/${property.fieldType}`,
		readOnly: property.readOnlyValue === true || property.calculated === true,
		required: false,
		canBeUsedToMatch: property.hasUniqueValue === true || MATCH_KEYS.has(property.name),
	};
	if (type === 'enum' || type === 'multiEnum') {
		// In HubSpot's display order: stage picklists (lifecycle, lead status) are ordered by it.
		description.options = property.options
			.filter((option) => !option.hidden)
			.map((option, index) => ({ option, index, order: displayPosition(option) }))
			.sort((a, b) => a.order - b.order || a.index - b.index)
			.map(({ option }) => ({ value: option.value, label: option.label }));
	}
	return description;
}

export function describeObject(
	session: HubSpotSession,
	objectType: string,
	read: CacheRead = {},
): Promise<ObjectDescription> {
	const now = read.now ?? Date.now;
	return descriptions.get(
		session.cacheScope,
		objectType,
		async () => {
			const properties = await session.send(`GET /crm/v3/properties/${objectType}`, true, (api) =>
				api.getProperties(objectType),
			);
			return { objectType, fields: properties.map(describeProperty), fetchedAt: now() };
		},
		read,
	);
}
