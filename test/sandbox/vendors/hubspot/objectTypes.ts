/** HubSpot object types the pack uses, their aliases in URLs, and the HUBSPOT_DEFINED association types. */

export const HUBSPOT_OBJECT_TYPES = [
	'contacts',
	'companies',
	'deals',
	'notes',
	'meetings',
	'tasks',
	'calls',
	'communications',
	'emails',
] as const;
export type HubSpotObjectType = (typeof HUBSPOT_OBJECT_TYPES)[number];

const OBJECT_TYPE_IDS: Record<HubSpotObjectType, string> = {
	contacts: '0-1',
	companies: '0-2',
	deals: '0-3',
	notes: '0-46',
	meetings: '0-47',
	tasks: '0-27',
	calls: '0-48',
	communications: '0-18',
	emails: '0-49',
};

const SINGULAR: Record<HubSpotObjectType, string> = {
	contacts: 'contact',
	companies: 'company',
	deals: 'deal',
	notes: 'note',
	meetings: 'meeting',
	tasks: 'task',
	calls: 'call',
	communications: 'communication',
	emails: 'email',
};

/** HubSpot accepts `contacts`, `contact`, `CONTACT` or the object type id `0-1` in URLs. */
export function canonicalObjectType(raw: string): HubSpotObjectType | undefined {
	const lower = raw.toLowerCase();
	return HUBSPOT_OBJECT_TYPES.find(
		(t) => t === lower || SINGULAR[t] === lower || OBJECT_TYPE_IDS[t] === lower,
	);
}

export function singularName(type: HubSpotObjectType): string {
	return SINGULAR[type];
}

/** Engagements name their timestamps hs_createdate; contacts use lastmodifieddate; the rest hs_lastmodifieddate. */
export function timestampProperties(type: HubSpotObjectType): {
	created: string;
	modified: string;
} {
	if (type === 'contacts') return { created: 'createdate', modified: 'lastmodifieddate' };
	if (type === 'companies' || type === 'deals')
		return { created: 'createdate', modified: 'hs_lastmodifieddate' };
	return { created: 'hs_createdate', modified: 'hs_lastmodifieddate' };
}

/** Properties returned when a request names none (HubSpot's defaults per object). */
export function defaultProperties(type: HubSpotObjectType): string[] {
	const { created, modified } = timestampProperties(type);
	const base = [created, modified, 'hs_object_id'];
	switch (type) {
		case 'contacts':
			return [...base, 'email', 'firstname', 'lastname'];
		case 'companies':
			return [...base, 'domain', 'name'];
		case 'deals':
			return [...base, 'amount', 'closedate', 'dealname', 'dealstage', 'pipeline'];
		default:
			return base;
	}
}

export interface AssociationType {
	from: HubSpotObjectType;
	to: HubSpotObjectType;
	typeId: number;
	inverseTypeId: number;
	label: string | null;
}

/** [from, to, typeId, inverseTypeId, label] — HubSpot's documented default association type ids. */
const PAIRS: Array<[HubSpotObjectType, HubSpotObjectType, number, number, string | null]> = [
	['contacts', 'companies', 279, 280, null],
	['contacts', 'companies', 1, 2, 'Primary'],
	['deals', 'contacts', 3, 4, null],
	['deals', 'companies', 341, 342, null],
	['deals', 'companies', 5, 6, 'Primary'],
	['notes', 'contacts', 202, 201, null],
	['notes', 'companies', 190, 189, null],
	['notes', 'deals', 214, 213, null],
	['calls', 'contacts', 194, 193, null],
	['calls', 'companies', 182, 181, null],
	['calls', 'deals', 206, 205, null],
	['meetings', 'contacts', 200, 199, null],
	['meetings', 'companies', 188, 187, null],
	['meetings', 'deals', 212, 211, null],
	['tasks', 'contacts', 204, 203, null],
	['tasks', 'companies', 192, 191, null],
	['tasks', 'deals', 216, 215, null],
	['communications', 'contacts', 81, 82, null],
	['communications', 'companies', 87, 88, null],
	['communications', 'deals', 85, 86, null],
	['emails', 'contacts', 198, 197, null],
	['emails', 'companies', 186, 185, null],
	['emails', 'deals', 210, 209, null],
];

export const ASSOCIATION_TYPES: readonly AssociationType[] = PAIRS.flatMap(
	([from, to, typeId, inverseTypeId, label]) => [
		{ from, to, typeId, inverseTypeId, label },
		{ from: to, to: from, typeId: inverseTypeId, inverseTypeId: typeId, label },
	],
);

export function associationType(
	from: HubSpotObjectType,
	typeId: number,
): AssociationType | undefined {
	return ASSOCIATION_TYPES.find((a) => a.from === from && a.typeId === typeId);
}

/** The unlabeled (default) association type between two object types. */
export function defaultAssociationType(
	from: HubSpotObjectType,
	to: HubSpotObjectType,
): AssociationType | undefined {
	return ASSOCIATION_TYPES.find((a) => a.from === from && a.to === to && a.label === null);
}
