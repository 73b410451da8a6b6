/** Splits a list into consecutive slices of at most `size` elements (size ≥ 1). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
	if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
	const slices: T[][] = [];
	for (let start = 0; start < items.length; start += size) slices.push(items.slice(start, start + size));
	return slices;
}
