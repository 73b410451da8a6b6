/**
 * The two services n8n's queue mode needs, started from the machine's Debian packages
 * (`redis-server`, `postgresql`) as throwaway local instances: each on a free loopback port,
 * with its data in a temporary folder that stop() deletes. Nothing is installed here — a
 * missing binary is reported with the apt-get line that brings it (`.ci/run` runs it).
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

import { freePort } from './ports';
import { groupAlive, killGroup } from './processes';
import { realSleep, waitFor } from './waitFor';

export interface ServiceHandle {
	host: string;
	port: number;
	pid: number;
	logFile: string;
	stop(): Promise<void>;
}

export interface PostgresHandle extends ServiceHandle {
	database: string;
	user: string;
	password: string;
}

class ServiceExited extends Error {}

function onPath(name: string): string | undefined {
	for (const dir of (process.env.PATH ?? '').split(delimiter)) {
		const candidate = join(dir, name);
		if (dir !== '' && existsSync(candidate)) return candidate;
	}
	return undefined;
}

export function findRedisServer(): string {
	const found =
		onPath('redis-server') ??
		['/usr/bin/redis-server', '/usr/sbin/redis-server'].find((file) => existsSync(file));
	if (found === undefined)
		throw new Error(
			'redis-server is not installed: run `apt-get install -y redis-server` (Debian/Ubuntu) or install Redis ≥ 6',
		);
	return found;
}

/** The folder holding initdb, postgres and createdb: on PATH, else Debian's newest /usr/lib/postgresql/<n>/bin. */
export function findPostgresBin(): string {
	const initdb = onPath('initdb');
	if (initdb !== undefined) {
		// Debian links the binaries into /usr/local/bin on some machines: follow to the real folder.
		const real = execFileSync('readlink', ['-f', initdb], { encoding: 'utf8' }).trim();
		const dir = real.slice(0, real.lastIndexOf('/'));
		if (existsSync(join(dir, 'postgres')) && existsSync(join(dir, 'createdb'))) return dir;
	}
	const root = '/usr/lib/postgresql';
	const versions = existsSync(root)
		? readdirSync(root)
				.filter((name) => /^\d+$/.test(name) && existsSync(join(root, name, 'bin', 'initdb')))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	if (versions.length === 0)
		throw new Error(
			'PostgreSQL is not installed: run `apt-get install -y postgresql` (Debian/Ubuntu)',
		);
	return join(root, versions[0], 'bin');
}

/** Resolves once something answers on the port (Redis: PING → +PONG). */
async function redisAnswers(port: number): Promise<boolean> {
	return await new Promise<boolean>((resolve) => {
		const socket = connect({ host: '127.0.0.1', port });
		const done = (answer: boolean): void => {
			socket.destroy();
			resolve(answer);
		};
		socket.setTimeout(1_000, () => done(false));
		socket.once('error', () => done(false));
		socket.once('connect', () => socket.write('PING\r\n'));
		// A password-protected Redis answers NOAUTH: it is up all the same.
		socket.once('data', (chunk: Buffer) => done(/^(\+PONG|-NOAUTH)/.test(chunk.toString())));
	});
}

function spawnService(
	command: string,
	args: string[],
	logFile: string,
	user?: { uid: number; gid: number },
): number {
	const out = openSync(logFile, 'a');
	const child = spawn(command, args, {
		stdio: ['ignore', out, out],
		detached: true,
		...(user ?? {}),
	});
	closeSync(out);
	if (child.pid === undefined) throw new Error(`could not start ${command}`);
	const pid = child.pid;
	// Never outlive the process that started it.
	process.once('exit', () => void killGroup(pid, 'SIGKILL'));
	return pid;
}

async function stopService(pid: number, signal: NodeJS.Signals, dir: string): Promise<void> {
	killGroup(pid, signal);
	const deadline = Date.now() + 15_000;
	while (groupAlive(pid) && Date.now() < deadline) await realSleep(50);
	if (groupAlive(pid)) killGroup(pid, 'SIGKILL');
	while (groupAlive(pid)) await realSleep(50);
	if (process.env.E2E_KEEP !== '1') await rm(dir, { recursive: true, force: true });
}

function tail(file: string): string {
	try {
		return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
	} catch {
		return '(no log)';
	}
}

/** A Redis on a free loopback port, in memory only (no snapshots, no append-only file). */
export async function startRedis(
	options: { port?: number; password?: string } = {},
): Promise<ServiceHandle> {
	const binary = findRedisServer();
	const dir = await mkdtemp(join(tmpdir(), 'crm-sync-redis-'));
	const port = options.port ?? (await freePort());
	const logFile = join(dir, 'redis.log');
	const args = [
		'--port',
		String(port),
		'--bind',
		'127.0.0.1',
		'--save',
		'',
		'--appendonly',
		'no',
		'--dir',
		dir,
	];
	if (options.password !== undefined) args.push('--requirepass', options.password);
	const pid = spawnService(binary, args, logFile);
	const stop = (): Promise<void> => stopService(pid, 'SIGTERM', dir);
	try {
		await waitFor(async () => ((await redisAnswers(port)) ? true : undefined), {
			timeoutMs: 20_000,
			intervalMs: 50,
			what: `redis-server on port ${port} (log ${logFile})`,
		});
	} catch (error) {
		await stop();
		throw new Error(`${(error as Error).message}\n${tail(logFile)}`);
	}
	return { host: '127.0.0.1', port, pid, logFile, stop };
}

/** PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` user the Debian package creates. */
function serviceUser(): { uid: number; gid: number } | undefined {
	if (process.getuid?.() !== 0) return undefined;
	try {
		const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
		const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
		return { uid, gid };
	} catch {
		throw new Error(
			'running as root, PostgreSQL needs the `postgres` system user: run `apt-get install -y postgresql`',
		);
	}
}

/**
 * A PostgreSQL cluster of its own (initdb into a temporary folder, trust authentication on
 * 127.0.0.1 only, durability off: it is thrown away) with one database for n8n.
 */
export async function startPostgres(
	options: { port?: number; database?: string } = {},
): Promise<PostgresHandle> {
	const bin = findPostgresBin();
	const user = serviceUser();
	const dir = await mkdtemp(join(tmpdir(), 'crm-sync-pg-'));
	if (user) await chown(dir, user.uid, user.gid);
	const data = join(dir, 'data');
	const logFile = join(dir, 'postgres.log');
	const database = options.database ?? 'n8n';
	const owner = 'n8n';
	const run = (command: string, args: string[]): void => {
		execFileSync(join(bin, command), args, {
			stdio: ['ignore', 'pipe', 'pipe'],
			cwd: dir,
			...(user ?? {}),
			timeout: 120_000,
		});
	};
	try {
		run('initdb', [
			'-D',
			data,
			'-U',
			owner,
			'--auth=trust',
			'-E',
			'UTF8',
			'--no-locale',
			'--no-sync',
		]);
	} catch (error) {
		await rm(dir, { recursive: true, force: true });
		const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
		throw new Error(`initdb failed: ${stderr.trim() || (error as Error).message}`);
	}
	const port = options.port ?? (await freePort());
	const pid = spawnService(
		join(bin, 'postgres'),
		[
			'-D',
			data,
			'-p',
			String(port),
			'-c',
			'listen_addresses=127.0.0.1',
			'-c',
			'unix_socket_directories=',
			'-c',
			'fsync=off',
			'-c',
			'synchronous_commit=off',
			'-c',
			'full_page_writes=off',
			'-c',
			'max_connections=200',
		],
		logFile,
		user,
	);
	// SIGINT: PostgreSQL's fast shutdown (ends sessions, no waiting for clients).
	const stop = (): Promise<void> => stopService(pid, 'SIGINT', dir);
	try {
		await waitFor(
			async () => {
				if (!groupAlive(pid)) throw new ServiceExited('postgres exited');
				try {
					run('pg_isready', ['-h', '127.0.0.1', '-p', String(port), '-q']);
					return true;
				} catch {
					return undefined;
				}
			},
			{
				timeoutMs: 60_000,
				intervalMs: 100,
				what: `postgres on port ${port}`,
				stopOn: ServiceExited,
			},
		);
		run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', owner, database]);
	} catch (error) {
		await stop();
		throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${tail(logFile)}`);
	}
	// Trust authentication ignores it; n8n insists on having one.
	return {
		host: '127.0.0.1',
		port,
		pid,
		logFile,
		database,
		user: owner,
		password: 'local-only',
		stop,
	};
}
