/** A shallow copy of a record without the named keys (the record itself is left as it is). */
export function withoutKeys<T extends object, K extends keyof T & string>(
	record: T,
	...keys: readonly K[]
): Omit<T, K> {
	const dropped = new Set<string>(keys);
	return Object.fromEntries(Object.entries(record).filter(([key]) => !dropped.has(key))) as Omit<
		T,
		K
	>;
}
