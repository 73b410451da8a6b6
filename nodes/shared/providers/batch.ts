/** Splits a list into consecutive slices of at most `size` elements (size ≥ 1). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
	if (!Number.isInteger(size) || size < 1)
		throw new RangeError(`chunk size must be a positive integer, got ${size}`);
	const slices: T[][] = [];
	for (let start = 0; start < items.length; start += size)
		slices.push(items.slice(start, start + size));
	return slices;
}

/**
 * Consecutive slices bounded by a count AND a total size (e.g. characters a value adds to
 * a query string), so long values cannot grow one request past the CRM's length limits.
 * A single value larger than `maxSize` gets a slice of its own.
 */
export function chunkWithin<T>(
	items: readonly T[],
	limits: { maxCount: number; maxSize: number; sizeOf: (item: T) => number },
): T[][] {
	if (!Number.isInteger(limits.maxCount) || limits.maxCount < 1)
		throw new RangeError(`maxCount must be a positive integer, got ${limits.maxCount}`);
	const slices: T[][] = [];
	let current: T[] = [];
	let size = 0;
	for (const item of items) {
		const itemSize = limits.sizeOf(item);
		if (
			current.length > 0 &&
			(current.length >= limits.maxCount || size + itemSize > limits.maxSize)
		) {
			slices.push(current);
			current = [];
			size = 0;
		}
		current.push(item);
		size += itemSize;
	}
	if (current.length > 0) slices.push(current);
	return slices;
}
