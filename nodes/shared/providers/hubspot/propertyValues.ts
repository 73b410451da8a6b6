/**
 * HubSpot's v3 APIs take every property value as a string: numbers and booleans as text,
 * dates as ISO-8601 (or epoch ms), multi-select values joined with `;`, and `''` to clear.
 */
export function propertyValue(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
		return String(value);
	if (value instanceof Date) return value.toISOString();
	if (Array.isArray(value)) return value.map(propertyValue).join(';');
	return JSON.stringify(value);
}

export function stringifyProperties(properties: Record<string, unknown>): Record<string, string> {
	const result: Record<string, string> = {};
	for (const [name, value] of Object.entries(properties)) result[name] = propertyValue(value);
	return result;
}
