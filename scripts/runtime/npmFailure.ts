/**
 * Turns npm's raw failure output into one sentence a developer can act on: which pinned
 * package the registry refused, and what to do about it. Unknown failures keep npm's tail.
 */
export interface NpmRefusal {
	code: 'E404' | 'ETARGET' | 'EINTEGRITY';
	/** `name@version` as pinned in the lock. */
	spec: string;
}

/** `name@version` from a registry tarball URL: `<registry>/<name or @scope/name>/-/<name>-<version>.tgz`. */
export function tarballSpec(url: string): string | undefined {
	const [before, file] = decodeURIComponent(url).split('/-/');
	if (!file?.endsWith('.tgz')) return undefined;
	const segments = before.split('/');
	const last = segments.pop() ?? '';
	const scope = segments.pop() ?? '';
	const name = last.startsWith('@') ? last : scope.startsWith('@') ? `${scope}/${last}` : last;
	const base = name.split('/').pop() ?? name;
	const version = file.slice(0, -'.tgz'.length).replace(`${base}-`, '');
	return `${name}@${version}`;
}

/** Finds the package and version behind a registry refusal in npm's output lines. */
export function findRefusal(lines: string[]): NpmRefusal | undefined {
	const text = lines.join('\n');
	const code = /npm (?:error|ERR!) code (E404|ETARGET|EINTEGRITY)/.exec(text)?.[1] as
		NpmRefusal['code'] | undefined;
	if (code === undefined) return undefined;
	if (code === 'ETARGET') {
		const spec = /No matching version found for (\S+?)\.?$/m.exec(text)?.[1];
		return spec ? { code, spec } : undefined;
	}
	if (code === 'E404') {
		const url = /GET (https?:\/\/\S+\.tgz)/.exec(text)?.[1];
		const spec = url ? tarballSpec(url) : undefined;
		if (spec) return { code, spec };
		const quoted = /'((?:@[^/'\s]+\/)?[^@'\s]+@[^'\s]+)' is not in this registry/.exec(text)?.[1];
		return quoted ? { code, spec: quoted } : undefined;
	}
	const url = /tarball data for (?:@[^/\s]+\/)?[^@\s]+@(https?:\/\/\S+\.tgz)/.exec(text)?.[1];
	return { code, spec: (url && tarballSpec(url)) || 'a package in the lock' };
}

/** The message shown instead of npm's raw error when the registry refuses a pinned tarball. */
export function explainRefusal(refusal: NpmRefusal, registry: string, lockPath: string): string {
	const what =
		refusal.code === 'EINTEGRITY'
			? `the registry's tarball for ${refusal.spec} does not match the checksum pinned in ${lockPath}`
			: `the registry (${registry}) does not have ${refusal.spec}, which ${lockPath} pins`;
	return [
		`Installing the n8n runtime failed: ${what} (npm ${refusal.code}).`,
		'What to do: check that npm points at the registry the lock was made with (`npm config get registry`) and that it is reachable;',
		'if the registry really dropped or changed that version, run `npm run runtime:lock` to resolve and verify a new lock, then commit it.',
	].join(' ');
}
