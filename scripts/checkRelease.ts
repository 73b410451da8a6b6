/**
 * `npm run release:check -- <tag> <owner/repo>`: run by the release workflow before it publishes
 * (GITHUB_REF_NAME, GITHUB_REPOSITORY). Fails with every problem named instead of letting
 * `npm publish --provenance` fail half-way or publish metadata n8n's verification refuses.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findRepoRoot } from './runtime/repoRoot';
import type { PackManifest } from './package/packTarball';
import { releaseProblems } from './package/releaseChecks';

async function main(): Promise<number> {
	const [tag, githubRepository] = process.argv.slice(2);
	if (!tag || !githubRepository)
		throw new Error('usage: npm run release:check -- <tag> <owner/repo>');
	const repoRoot = findRepoRoot(__dirname, process.cwd());
	const manifest = JSON.parse(
		await readFile(join(repoRoot, 'package.json'), 'utf8'),
	) as PackManifest;
	const changelog = await readFile(join(repoRoot, 'CHANGELOG.md'), 'utf8');
	const problems = releaseProblems(manifest, tag, githubRepository, changelog);
	for (const problem of problems) process.stderr.write(`release check: ${problem}\n`);
	if (problems.length === 0)
		process.stdout.write(
			`release check: ${manifest.name}@${manifest.version} from ${githubRepository} (${tag}) is ready to publish\n`,
		);
	return problems.length === 0 ? 0 : 1;
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		process.stderr.write(
			`release check failed: ${error instanceof Error ? error.message : String(error)}\n`,
		);
		process.exit(1);
	},
);
