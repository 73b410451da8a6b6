/** Header lookup that ignores case and takes the first value of a repeated header. */
export type HeaderBag = Record<string, string | string[] | undefined>;

export function headerValue(headers: HeaderBag | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== wanted) continue;
		const first = Array.isArray(value) ? value[0] : value;
		if (first !== undefined) return String(first);
	}
	return undefined;
}

/** A header as a finite number ("1,234.5" accepted), else undefined. */
export function headerNumber(headers: HeaderBag | undefined, name: string): number | undefined {
	const raw = headerValue(headers, name);
	if (raw === undefined) return undefined;
	const text = raw.replace(/,/g, '').trim();
	if (text === '') return undefined;
	const parsed = Number(text);
	return Number.isFinite(parsed) ? parsed : undefined;
}
