/**
 * The lowest Node version a set of packages runs on, from their `engines.node` ranges: the pack
 * must declare the highest of its runtime tree's minimums, or npm and n8n users learn it from a
 * load error instead.
 */

export type Version = readonly [number, number, number];

/** The lowest version a range admits (`>=22.19.0`, `^18.17.0 || >=20.5.0`, `18 - 22`); undefined for `*` and the like. */
export function minimumOf(range: string): Version | undefined {
	const minimums = range
		.split('||')
		.map((clause) => /(?:^|[\s>=^~v])(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/.exec(clause.trim()))
		.filter((match): match is RegExpExecArray => match !== null)
		.map((match): Version => [Number(match[1]), numberOr0(match[2]), numberOr0(match[3])]);
	return minimums.sort(compareVersions)[0];
}

function numberOr0(part: string | undefined): number {
	return part === undefined || !/^\d+$/.test(part) ? 0 : Number(part);
}

export function compareVersions(a: Version, b: Version): number {
	return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

export function formatVersion(version: Version): string {
	return version.join('.');
}

/** The highest minimum among the packages, with the packages that set it. */
export function requiredNode(
	packages: Array<{ name: string; engines?: { node?: string } }>,
): { version: Version; setBy: string[] } | undefined {
	let best: { version: Version; setBy: string[] } | undefined;
	for (const pkg of packages) {
		const range = pkg.engines?.node;
		const minimum = range === undefined ? undefined : minimumOf(range);
		if (minimum === undefined) continue;
		const order = best === undefined ? 1 : compareVersions(minimum, best.version);
		if (order > 0) best = { version: minimum, setBy: [pkg.name] };
		else if (order === 0 && best !== undefined) best.setBy.push(pkg.name);
	}
	return best;
}
