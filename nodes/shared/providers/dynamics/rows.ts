/** Helpers for Web API result rows. */

export type Row = Record<string, unknown>;

/** Row values without OData annotations (`@odata.etag`, formatted values, lookup logical names). */
export function plainProperties(row: Row): Record<string, unknown> {
	return Object.fromEntries(Object.entries(row).filter(([key]) => !key.includes('@')));
}

/** The `value` array of a collection response (a $batch part body or a GET body). */
export function collectionRows(body: string): Row[] {
	const parsed = JSON.parse(body) as { value?: unknown };
	return Array.isArray(parsed.value) ? (parsed.value as Row[]) : [];
}
