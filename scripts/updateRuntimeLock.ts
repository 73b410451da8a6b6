/**
 * `npm run runtime:lock [-- <runtime>]`: the one deliberate way to change an n8n runtime
 * (default `n8n-runtime`; `n8n-runtime-1x` is the older n8n). Edit
 * scripts/runtime/<runtime>/package.json (e.g. the n8n version) first; this resolves a new
 * package-lock.json from the registry, installs it into the cache with `npm ci` and checks
 * that the pinned n8n runs on the pinned Node, then writes the lock beside package.json.
 * Verify with `npm run e2e` (the pack loads, the templates run) before committing both.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRuntime } from './runtime/installN8n';
import { runCommand, systemPath } from './runtime/processes';
import { defaultCacheRoot, ensureCachedInstall } from './runtime/runtimeCache';
import {
	DEFAULT_RUNTIME,
	definitionHash,
	isRuntimeName,
	runtimeDefinitionFolder,
	RUNTIME_NAMES,
	type RuntimePackageJson,
} from './runtime/runtimePackage';
import { findRepoRoot } from './runtime/repoRoot';

const say = (line: string): void => void process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
	const repoRoot = findRepoRoot(__dirname, process.cwd());
	const name = process.argv[2] ?? DEFAULT_RUNTIME;
	if (!isRuntimeName(name))
		throw new Error(
			`unknown runtime "${name}"; the committed ones are ${RUNTIME_NAMES.join(', ')}`,
		);
	const definitionFolder = runtimeDefinitionFolder(name);
	const folder = join(repoRoot, definitionFolder);
	const packageText = await readFile(join(folder, 'package.json'), 'utf8');
	const work = await mkdtemp(join(tmpdir(), 'crm-sync-runtime-lock-'));
	try {
		await writeFile(join(work, 'package.json'), packageText);
		say('resolving a new lock from the registry ...');
		await runCommand('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund'], {
			cwd: work,
			env: { ...process.env, PATH: systemPath() },
			logFile: join(work, 'resolve.log'),
			onLine: (line) => (/^npm warn/.test(line) ? undefined : say(line)),
			timeoutMs: 20 * 60_000,
		});
		const lock = JSON.parse(await readFile(join(work, 'package-lock.json'), 'utf8')) as {
			packages: Record<string, { extraneous?: boolean }>;
		};
		// Entries nothing requires: `npm ci` skips them anyway, so they only add noise to diffs.
		lock.packages = Object.fromEntries(
			Object.entries(lock.packages).filter(([, entry]) => !entry.extraneous),
		);
		const lockText = JSON.stringify(lock, null, 2) + '\n';
		const { dependencies } = JSON.parse(packageText) as RuntimePackageJson;
		const definition = {
			n8nVersion: dependencies.n8n,
			nodeVersion: dependencies.node,
			hash: definitionHash(packageText, lockText),
		};
		const entry = await ensureCachedInstall({
			cacheRoot: join(defaultCacheRoot(), name),
			hash: definition.hash,
			packageText,
			lockText,
			lockLabel: 'the new lock',
			check: (dir) => checkRuntime(dir, definition),
			log: say,
		});
		await writeFile(join(folder, 'package-lock.json'), lockText);
		say(
			`n8n ${definition.n8nVersion} on Node ${definition.nodeVersion} installed from the new lock in ${entry.dir}.`,
		);
		say(
			`Wrote ${join(definitionFolder, 'package-lock.json')}. Now run \`npm run e2e\`, then commit package.json and package-lock.json together.`,
		);
	} finally {
		await rm(work, { recursive: true, force: true });
	}
}

main().catch((error: unknown) => {
	process.stderr.write(
		`runtime:lock failed: ${error instanceof Error ? error.message : String(error)}\n`,
	);
	process.exit(1);
});
