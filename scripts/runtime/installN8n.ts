import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { runCommand, systemPath } from './processes';
import { hashText, runtimePackageText } from './runtimePackage';
import { realSleep } from './waitFor';

export interface InstallOptions {
	/** Runtime folder (git-ignored); relative paths are taken from the current directory. */
	dir?: string;
	/** Progress lines (npm output, start/end); defaults to stderr. */
	log?: (line: string) => void;
	/** npm install deadline; a cold install takes ~160 s on 2 vCPU. */
	timeoutMs?: number;
}

export interface N8nRuntime {
	dir: string;
	/** `<dir>/node_modules/.bin/n8n` */
	n8nBin: string;
	/** The folder holding Node 24's `node`; put it first on PATH for n8n and its task runner. */
	nodeBinDir: string;
	/** Whether this call ran npm (false = the cached install was reused). */
	installed: boolean;
	installMs: number;
}

const STAMP = '.installed-hash';

/**
 * Installs n8n + Node 24 into `dir` once: npm runs only when the generated package.json
 * differs from the one recorded by the last successful install (its hash is the stamp).
 * A lock folder keeps two processes (parallel jest workers, a demo and a test) from
 * installing into the same folder at once.
 */
export async function installN8n(options: InstallOptions = {}): Promise<N8nRuntime> {
	const dir = resolve(options.dir ?? '.n8n-runtime');
	const log = options.log ?? ((line: string) => process.stderr.write(`[n8n-runtime] ${line}\n`));
	const started = Date.now();
	const text = runtimePackageText();
	const hash = hashText(text);
	await mkdir(dir, { recursive: true });
	let installed = false;
	if (!(await isCurrent(dir, hash))) {
		await withLock(join(dir, '.install-lock'), async () => {
			if (await isCurrent(dir, hash)) return; // another process finished it meanwhile
			log(`installing n8n into ${dir} (one time, ~3 min) — log: ${join(dir, 'install.log')}`);
			await writeFile(join(dir, 'package.json'), text);
			await rm(join(dir, STAMP), { force: true });
			// The verified recipe runs the machine's own npm/Node (not node_modules/.bin's Node 24):
			// `install`, not `ci`, because the generated lockfile misses optional platform entries.
			await runCommand('npm', ['install', '--no-audit', '--no-fund'], {
				cwd: dir,
				env: { ...process.env, PATH: systemPath(), npm_config_loglevel: 'http' },
				logFile: join(dir, 'install.log'),
				onLine: progress(log),
				timeoutMs: options.timeoutMs ?? 20 * 60_000,
			});
			await writeFile(join(dir, STAMP), hash + '\n');
			installed = true;
			log(`installed in ${Math.round((Date.now() - started) / 1000)} s`);
		});
	}
	const runtime = locate(dir);
	return { ...runtime, installed, installMs: Date.now() - started };
}

/**
 * npm at loglevel http prints one line per package (thousands) and n8n's tree yields pages of
 * peer-dependency warnings: show a count every 250 packages and everything that is not an
 * `npm warn` line (errors, "added N packages"). The full output is in install.log.
 */
function progress(log: (line: string) => void): (line: string) => void {
	let fetched = 0;
	return (line) => {
		if (/^npm http (fetch|cache)/.test(line)) {
			fetched += 1;
			if (fetched % 250 === 0) log(`${fetched} packages fetched...`);
		} else if (!/^npm warn/.test(line)) {
			log(line);
		}
	};
}

function locate(dir: string): Pick<N8nRuntime, 'dir' | 'n8nBin' | 'nodeBinDir'> {
	const binDir = join(dir, 'node_modules', '.bin');
	const n8nBin = join(binDir, 'n8n');
	const nodeBin = join(binDir, 'node');
	for (const file of [n8nBin, nodeBin]) {
		if (!existsSync(file)) throw new Error(`The n8n runtime in ${dir} is incomplete (${file} missing); delete ${join(dir, STAMP)} to reinstall`);
	}
	return { dir, n8nBin, nodeBinDir: binDir };
}

async function isCurrent(dir: string, hash: string): Promise<boolean> {
	try {
		return (await readFile(join(dir, STAMP), 'utf8')).trim() === hash;
	} catch {
		return false;
	}
}

/** mkdir is atomic: whoever creates the folder holds the lock; a dead holder's lock is taken over. */
async function withLock(lockDir: string, work: () => Promise<void>, timeoutMs = 25 * 60_000): Promise<void> {
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
			if (Date.now() > deadline) throw new Error(`Timed out waiting for another n8n install (lock ${lockDir})`);
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
		// ENOENT: the pid file is not written yet, treat as alive; ESRCH: the holder died.
		return (error as NodeJS.ErrnoException).code !== 'ESRCH';
	}
}
