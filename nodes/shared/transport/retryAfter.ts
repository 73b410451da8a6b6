/**
 * Retry-After (RFC 9110 §10.2.3): either delay-seconds or an HTTP-date.
 * Returns the wait in ms from `now`, or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
	if (value === undefined) return undefined;
	const text = value.trim();
	if (text === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
	// Only accept something that looks like a date, not a negative or garbage number.
	if (!/[a-z]/i.test(text)) return undefined;
	const at = Date.parse(text);
	if (Number.isNaN(at)) return undefined;
	return Math.max(0, at - now);
}
