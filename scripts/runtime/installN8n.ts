import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, readlink, rename, rm, symlink } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { defaultCacheRoot, ensureCachedInstall } from './runtimeCache';
import { DEFAULT_RUNTIME, readRuntimeDefinition, type RuntimeDefinition } from './runtimePackage';

export interface InstallOptions {
	/** Repo root: holds scripts/runtime/<runtime>/{package.json,package-lock.json}. */
	repoRoot: string;
	/** Which committed definition (default `n8n-runtime`, the current n8n; see runtimePackage.ts). */
	runtime?: string;
	/** Where the installed runtimes are cached (default: see defaultCacheRoot). */
	cacheRoot?: string;
	/** Repo-local link to the cached runtime, for people looking for it (default `<repoRoot>/.<runtime>`; false = none). */
	link?: string | false;
	/** Progress lines (npm output, start/end); defaults to stderr. */
	log?: (line: string) => void;
	/** npm ci deadline; a cold install takes ~5 min on 2 vCPU. */
	timeoutMs?: number;
}

export interface N8nRuntime {
	/** The definition's name, e.g. `n8n-runtime`. */
	name: string;
	/** The cached install (outside the clone). */
	dir: string;
	/** `<dir>/node_modules/.bin/n8n` */
	n8nBin: string;
	/** The folder holding the runtime's `node` (Node 24 for n8n 2.x); put it first on PATH for n8n and its task runner. */
	nodeBinDir: string;
	n8nVersion: string;
	nodeVersion: string;
	/** Environment this n8n version needs to run (from its definition). */
	env: Record<string, string>;
	/** Whether this call ran npm (false = the cached install was reused). */
	installed: boolean;
	installMs: number;
}

/**
 * Makes a pinned n8n + its Node available: `npm ci` from the committed lock into the cache
 * the first time on a machine, the cached folder every time after (a fresh clone included).
 */
export async function installN8n(options: InstallOptions): Promise<N8nRuntime> {
	const started = Date.now();
	const log = options.log ?? ((line: string) => process.stderr.write(`[n8n-runtime] ${line}\n`));
	const definition = readRuntimeDefinition(options.repoRoot, options.runtime ?? DEFAULT_RUNTIME);
	// One cache folder per definition: each keeps its own latest entries when the other changes.
	const cacheRoot = join(options.cacheRoot ?? defaultCacheRoot(), definition.name);
	const entry = await ensureCachedInstall({
		cacheRoot,
		hash: definition.hash,
		packageText: definition.packageText,
		lockText: definition.lockText,
		lockLabel: relative(options.repoRoot, join(definition.folder, 'package-lock.json')),
		check: (dir) => checkRuntime(dir, definition),
		log,
		timeoutMs: options.timeoutMs,
	});
	if (entry.installed) log(`installed in ${Math.round((Date.now() - started) / 1000)} s`);
	const link = options.link ?? join(options.repoRoot, `.${definition.name}`);
	if (link !== false) await pointLink(link, entry.dir);
	const binDir = join(entry.dir, 'node_modules', '.bin');
	return {
		name: definition.name,
		dir: entry.dir,
		n8nBin: join(binDir, 'n8n'),
		nodeBinDir: binDir,
		n8nVersion: definition.n8nVersion,
		nodeVersion: definition.nodeVersion,
		env: definition.env,
		installed: entry.installed,
		installMs: Date.now() - started,
	};
}

/**
 * The new install is usable: the pinned Node from the lock runs, n8n is the pinned version and its
 * native sqlite3 binding loads (it is compiled during the install).
 */
export async function checkRuntime(
	dir: string,
	definition: Pick<RuntimeDefinition, 'n8nVersion' | 'nodeVersion'>,
): Promise<void> {
	const node = join(dir, 'node_modules', '.bin', 'node');
	const n8n = join(dir, 'node_modules', '.bin', 'n8n');
	for (const file of [node, n8n])
		if (!existsSync(file)) throw new Error(`the runtime install has no ${file}`);
	const script =
		"require('sqlite3'); process.stdout.write(JSON.stringify({ node: process.versions.node, n8n: require('n8n/package.json').version }))";
	const output = await new Promise<string>((resolveOutput, reject) => {
		const child = spawn(node, ['-e', script], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		let err = '';
		child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
		child.once('error', reject);
		child.once('exit', (code) =>
			code === 0
				? resolveOutput(out)
				: reject(new Error(`the installed runtime does not start: ${err.trim().slice(-500)}`)),
		);
	});
	const versions = JSON.parse(output) as { node: string; n8n: string };
	if (versions.n8n !== definition.n8nVersion || versions.node !== definition.nodeVersion) {
		throw new Error(
			`the runtime installed n8n ${versions.n8n} on Node ${versions.node}, expected n8n ${definition.n8nVersion} on Node ${definition.nodeVersion}`,
		);
	}
}

/** `<repo>/.n8n-runtime` → the cache entry. An old in-repo install (a real folder) is removed. */
async function pointLink(link: string, target: string): Promise<void> {
	const current = await lstat(link).catch(() => undefined);
	if (current?.isSymbolicLink() && resolve(link, '..', await readlink(link)) === resolve(target))
		return;
	if (current && !current.isSymbolicLink()) await rm(link, { recursive: true, force: true });
	// Link under a private name, then rename over the old link: parallel starts never see it missing.
	const temporary = `${link}.${process.pid}.tmp`;
	await rm(temporary, { force: true });
	await symlink(target, temporary, 'dir');
	await rename(temporary, link);
}
