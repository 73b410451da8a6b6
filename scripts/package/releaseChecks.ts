import type { PackManifest } from './packTarball';

/**
 * What must hold before `npm publish --provenance`: npm refuses a provenance statement whose
 * source repository differs from package.json's `repository`, and n8n's verification reads the
 * author, homepage and provenance. Each check returns the problems it found (empty = fine).
 */

/** `git+https://github.com/owner/repo.git`, `https://github.com/owner/repo`, `github:owner/repo` → `owner/repo`. */
export function githubRepoOf(url: string | undefined): string | undefined {
	if (url === undefined) return undefined;
	const match =
		/^(?:git\+)?https:\/\/github\.com\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?(?:[#?].*)?$/.exec(
			url,
		) ?? /^github:([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(url);
	return match ? `${match[1]}/${match[2]}` : undefined;
}

function urlOf(field: { url?: string } | string | undefined): string | undefined {
	return typeof field === 'string' ? field : field?.url;
}

/** Metadata a published community package needs, all pointing at one GitHub repository. */
export function metadataProblems(manifest: PackManifest): string[] {
	const problems: string[] = [];
	if (manifest.private === true) problems.push('package.json is private');
	if (!/^n8n-nodes-|^@[^/]+\/n8n-nodes-/.test(manifest.name))
		problems.push(`the name "${manifest.name}" does not start with n8n-nodes-`);
	const author = typeof manifest.author === 'string' ? { name: manifest.author } : manifest.author;
	if (!author?.name?.trim() || !author.email?.includes('@'))
		problems.push('author needs a name and an email');
	const repo = githubRepoOf(urlOf(manifest.repository));
	if (repo === undefined)
		problems.push('repository must be a GitHub URL (npm provenance and n8n verification read it)');
	for (const [field, value] of [
		['homepage', manifest.homepage],
		['bugs', urlOf(manifest.bugs)],
	] as const) {
		const other = githubRepoOf(value?.replace(/\/issues\/?$/, ''));
		if (other === undefined || other !== repo)
			problems.push(`${field} (${value ?? 'missing'}) must point at the repository ${repo ?? ''}`);
	}
	if (!manifest.engines?.node) problems.push('engines.node is missing');
	if (!manifest.n8n?.nodes?.length) problems.push('n8n.nodes lists no node');
	return problems;
}

/** The tag that triggered the release, the package version and the repository running the workflow agree. */
export function releaseProblems(
	manifest: PackManifest,
	tag: string,
	githubRepository: string,
	changelog: string,
): string[] {
	const problems = metadataProblems(manifest);
	if (tag !== `v${manifest.version}`)
		problems.push(`the tag ${tag} is not v${manifest.version} (package.json version)`);
	const repo = githubRepoOf(urlOf(manifest.repository));
	if (repo !== undefined && repo.toLowerCase() !== githubRepository.toLowerCase()) {
		problems.push(
			`package.json repository is ${repo} but this workflow runs in ${githubRepository}: npm rejects provenance from another repository`,
		);
	}
	if (!changelogHasVersion(changelog, manifest.version))
		problems.push(`CHANGELOG.md has no "## [${manifest.version}]" section`);
	return problems;
}

/** A `## [x.y.z]` (optionally followed by a date) heading for this version. */
export function changelogHasVersion(changelog: string, version: string): boolean {
	const escaped = version.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return new RegExp(`^## \\[${escaped}\\]`, 'm').test(changelog);
}
