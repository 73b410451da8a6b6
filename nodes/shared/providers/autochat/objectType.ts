/** autoch.at CRM has one record type the pack writes: the client (a contact). */
export const CLIENT_OBJECT_TYPE = 'client';

/** Accepts `client` (and the plural, as the API path spells it); anything else is a caller bug. */
export function assertClientObjectType(objectType: string): void {
	if (objectType !== CLIENT_OBJECT_TYPE && objectType !== 'clients') {
		throw new Error(
			`autoch.at CRM has no object type "${objectType}"; the only one is "${CLIENT_OBJECT_TYPE}"`,
		);
	}
}
