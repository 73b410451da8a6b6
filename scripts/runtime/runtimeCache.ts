/**
 * A folder installed once by `npm ci` from a committed package.json + lock, kept in a cache
 * outside the clone and keyed by the hash of both, so every clone on the machine (CI runs a
 * fresh one each time) reuses it in milliseconds.
 *
 * An entry is built in a `.partial-*` folder and renamed into place only after npm and the
 * caller's check succeeded, then sealed with a manifest of every installed package; an entry
 * whose manifest is missing, from another definition, or names a package that is gone is
 * treated as damaged and rebuilt.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { explainRefusal, findRefusal } from './npmFailure';
import { runCommand, systemPath } from './processes';
import { realSleep } from './waitFor';

export const MANIFEST = '.crm-sync-cache.json';
const LAST_USED = '.last-used';

export interface CacheSpec {
	/** Cache folder holding one entry per definition hash. */
	cacheRoot: string;
	hash: string;
	packageText: string;
	lockText: string;
	/** Shown in messages, e.g. scripts/runtime/n8n-runtime/package-lock.json. */
	lockLabel: string;
	/** Runs after `npm ci` in the new folder; throws when the install is unusable. */
	check?: (dir: string) => Promise<void>;
	log: (line: string) => void;
	timeoutMs?: number;
	/** Extra environment for npm (tests set npm_config_fetch_retries). */
	npmEnv?: Record<string, string>;
	/** Entries of other definitions kept besides this one (older ones are deleted). Default 1. */
	keepOthers?: number;
}

export interface CacheEntry {
	dir: string;
	/** Whether this call ran npm. */
	installed: boolean;
}

interface Manifest {
	hash: string;
	/** Package folders directly under node_modules (`name` or `@scope/name`). */
	packages: string[];
	installedAt: string;
}

/** `$CRM_SYNC_CACHE_DIR`, else `$XDG_CACHE_HOME/n8n-nodes-crm-sync`, else `~/.cache/n8n-nodes-crm-sync`. */
export function defaultCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
	if (env.CRM_SYNC_CACHE_DIR) return env.CRM_SYNC_CACHE_DIR;
	return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'n8n-nodes-crm-sync');
}

export function entryDir(cacheRoot: string, hash: string): string {
	return join(cacheRoot, hash.slice(0, 16));
}

/** Why the entry cannot be used, or undefined when it is whole. */
export async function entryProblem(dir: string, hash: string): Promise<string | undefined> {
	let manifest: Manifest;
	try {
		manifest = JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as Manifest;
	} catch {
		return existsSync(dir)
			? 'it has no install manifest (an interrupted or foreign install)'
			: 'it is not installed yet';
	}
	if (manifest.hash !== hash) return 'it was installed from another package definition';
	const missing: string[] = [];
	for (const name of manifest.packages) {
		if (!existsSync(join(dir, 'node_modules', name, 'package.json'))) missing.push(name);
		if (missing.length >= 3) break;
	}
	return missing.length ? `packages are missing from it (${missing.join(', ')}…)` : undefined;
}

export async function ensureCachedInstall(spec: CacheSpec): Promise<CacheEntry> {
	const dir = entryDir(spec.cacheRoot, spec.hash);
	if ((await entryProblem(dir, spec.hash)) === undefined) {
		await markUsed(dir);
		return { dir, installed: false };
	}
	await mkdir(spec.cacheRoot, { recursive: true });
	let installed = false;
	await withLock(`${dir}.lock`, async () => {
		const problem = await entryProblem(dir, spec.hash);
		if (problem === undefined) return; // another process finished it meanwhile
		if (existsSync(dir)) {
			spec.log(`the cached runtime in ${dir} is unusable: ${problem}; rebuilding it`);
			await rm(dir, { recursive: true, force: true });
		}
		await build(spec, dir);
		installed = true;
	});
	await markUsed(dir);
	await pruneOthers(spec.cacheRoot, dir, spec.keepOthers ?? 1);
	return { dir, installed };
}

async function build(spec: CacheSpec, dir: string): Promise<void> {
	const partial = `${dir}.partial-${process.pid}`;
	await rm(partial, { recursive: true, force: true });
	await mkdir(partial, { recursive: true });
	const logFile = join(spec.cacheRoot, `${dir.split(/[\\/]/).pop()}.install.log`);
	await rm(logFile, { force: true });
	spec.log(`installing from ${spec.lockLabel} into ${dir} (one time; log: ${logFile})`);
	await writeFile(join(partial, 'package.json'), spec.packageText);
	await writeFile(join(partial, 'package-lock.json'), spec.lockText);
	const lines: string[] = [];
	try {
		// The machine's own npm (not node_modules/.bin's): the same tree on every machine, from the lock.
		await runCommand('npm', ['ci', '--no-audit', '--no-fund'], {
			cwd: partial,
			env: { ...process.env, ...spec.npmEnv, PATH: systemPath(), npm_config_loglevel: 'http' },
			logFile,
			onLine: progress(spec.log, lines),
			timeoutMs: spec.timeoutMs ?? 20 * 60_000,
		});
		await spec.check?.(partial);
		const manifest: Manifest = {
			hash: spec.hash,
			packages: await topLevelPackages(partial),
			installedAt: new Date().toISOString(),
		};
		await writeFile(join(partial, MANIFEST), JSON.stringify(manifest) + '\n');
		await rename(partial, dir);
	} catch (error) {
		await rm(partial, { recursive: true, force: true });
		const refusal = findRefusal(lines);
		if (refusal)
			throw new Error(
				`${explainRefusal(refusal, registryOf(lines), spec.lockLabel)} (npm log: ${logFile})`,
			);
		throw error;
	}
}

function registryOf(lines: string[]): string {
	const url = lines.map((line) => /GET (https?:\/\/[^/\s]+\/)/.exec(line)?.[1]).find(Boolean);
	return url ?? process.env.npm_config_registry ?? 'https://registry.npmjs.org/';
}

/**
 * npm at loglevel http prints one line per package (thousands), n8n's tree pages of peer
 * warnings: show a count every 250 packages and what is not a warning. Everything is kept
 * in `lines` for the failure explanation and in the log file.
 */
function progress(log: (line: string) => void, lines: string[]): (line: string) => void {
	let fetched = 0;
	return (line) => {
		lines.push(line);
		if (lines.length > 400) lines.shift();
		if (/^npm http (fetch|cache)/.test(line)) {
			fetched += 1;
			if (fetched % 250 === 0) log(`${fetched} packages fetched...`);
		} else if (!/^npm warn/.test(line)) {
			log(line);
		}
	};
}

async function topLevelPackages(dir: string): Promise<string[]> {
	const modules = join(dir, 'node_modules');
	const names: string[] = [];
	for (const entry of await readdir(modules, { withFileTypes: true })) {
		if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
		if (entry.name.startsWith('@')) {
			for (const scoped of await readdir(join(modules, entry.name), { withFileTypes: true })) {
				if (scoped.isDirectory()) names.push(`${entry.name}/${scoped.name}`);
			}
		} else {
			names.push(entry.name);
		}
	}
	return names.filter((name) => existsSync(join(modules, name, 'package.json'))).sort();
}

async function markUsed(dir: string): Promise<void> {
	const file = join(dir, LAST_USED);
	const now = new Date();
	try {
		await utimes(file, now, now);
	} catch {
		await writeFile(file, '').catch(() => undefined);
	}
}

/** Deletes the least recently used complete entries of other definitions beyond `keep`. */
async function pruneOthers(cacheRoot: string, current: string, keep: number): Promise<void> {
	const others: Array<{ dir: string; used: number }> = [];
	for (const entry of await readdir(cacheRoot, { withFileTypes: true })) {
		const dir = join(cacheRoot, entry.name);
		if (!entry.isDirectory() || dir === current || !/^[0-9a-f]{16}$/.test(entry.name)) continue;
		if (existsSync(`${dir}.lock`)) continue; // being installed or used by an install right now
		const used = await stat(join(dir, LAST_USED)).then(
			(s) => s.mtimeMs,
			() => 0,
		);
		others.push({ dir, used });
	}
	others.sort((a, b) => b.used - a.used);
	for (const stale of others.slice(keep)) await rm(stale.dir, { recursive: true, force: true });
}

/** mkdir is atomic: whoever creates the folder holds the lock; a dead holder's lock is taken over. */
export async function withLock(
	lockDir: string,
	work: () => Promise<void>,
	timeoutMs = 25 * 60_000,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			await mkdir(lockDir);
			await writeFile(join(lockDir, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			if (!(await holderAlive(lockDir))) {
				await rm(lockDir, { recursive: true, force: true });
				continue;
			}
			if (Date.now() > deadline)
				throw new Error(`Timed out waiting for another install (lock ${lockDir})`);
			await realSleep(1000);
		}
	}
	try {
		await work();
	} finally {
		await rm(lockDir, { recursive: true, force: true });
	}
}

async function holderAlive(lockDir: string): Promise<boolean> {
	try {
		const pid = Number((await readFile(join(lockDir, 'pid'), 'utf8')).trim());
		if (!Number.isInteger(pid) || pid <= 0) return true; // being written right now
		process.kill(pid, 0);
		return true;
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ESRCH') return false; // the holder died
		// No pid file yet: being written right now, unless the holder died between mkdir and write.
		const age = await stat(lockDir).then(
			(s) => Date.now() - s.mtimeMs,
			() => 0,
		);
		return code !== 'ENOENT' || age < 30_000;
	}
}
