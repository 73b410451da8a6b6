import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { N8nRuntime } from './installN8n';
import { linkExtraPack, linkPack } from './linkPack';
import { groupAlive, killGroup, pathWith } from './processes';
import { realSleep, waitFor } from './waitFor';

export interface StartN8nOptions {
	runtime: Pick<N8nRuntime, 'n8nBin' | 'nodeBinDir'> & Partial<Pick<N8nRuntime, 'env'>>;
	/** N8N_USER_FOLDER; n8n keeps its database, settings and logs under `<userFolder>/.n8n`. */
	userFolder: string;
	port: number;
	/** Task-runner broker port; two n8n processes on one machine collide without distinct ones. */
	brokerPort: number;
	/**
	 * The repo root holding package.json and the built dist/, linked into the user folder; `false`
	 * when the pack is already installed there (as the Community Nodes installer leaves it).
	 */
	packDir: string | false;
	/** Further node packages to load beside the pack (test-only nodes). */
	extraPacks?: string[];
	/** Extra or overriding environment for n8n. */
	env?: Record<string, string>;
	readyTimeoutMs?: number;
	/**
	 * `n8n start` (default) or, in queue mode, `n8n webhook` / `n8n worker`, with extra arguments
	 * (e.g. `--concurrency=5`). A worker serves its health checks on `healthPort` instead of `port`.
	 */
	command?: 'start' | 'webhook' | 'worker';
	args?: string[];
	healthPort?: number;
	/** Log file name in the user folder (default n8n.log). */
	logName?: string;
}

export interface N8nHandle {
	/** http://127.0.0.1:<port> — what the harness talks to. */
	baseUrl: string;
	/** http://localhost:<port> — what people open (the editor URL). */
	publicUrl: string;
	port: number;
	pid: number;
	logFile: string;
	startMs: number;
	/** Resolves with the exit reason if n8n stops on its own (or after stop()). */
	exited: Promise<string>;
	stop(): Promise<void>;
}

/**
 * Only for throwaway local folders (demo and tests): a fixed key lets a restarted demo read the
 * credentials it stored before. Real installs must set their own N8N_ENCRYPTION_KEY.
 */
const LOCAL_ENCRYPTION_KEY = 'crm-sync-local-runtime-only-not-a-secret';

export function n8nEnvironment(
	options: Pick<StartN8nOptions, 'userFolder' | 'port' | 'brokerPort'>,
): Record<string, string> {
	return {
		N8N_USER_FOLDER: resolve(options.userFolder),
		N8N_PORT: String(options.port),
		N8N_RUNNERS_BROKER_PORT: String(options.brokerPort),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: 'localhost',
		N8N_WEBHOOK_URL: `http://localhost:${options.port}/`,
		N8N_EDITOR_BASE_URL: `http://localhost:${options.port}/`,
		N8N_ENCRYPTION_KEY: LOCAL_ENCRYPTION_KEY,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
	};
}

/**
 * Links the pack, starts `n8n start` in its own process group (so stop() reaches the task
 * runner too) and resolves once `/healthz/readiness` says ok (plain /healthz answers before the
 * database migrations finish) and the REST routes answer. All n8n output goes to `<userFolder>/n8n.log`.
 */
export async function startN8n(options: StartN8nOptions): Promise<N8nHandle> {
	const started = Date.now();
	const userFolder = resolve(options.userFolder);
	await mkdir(userFolder, { recursive: true });
	if (options.packDir !== false) await linkPack(userFolder, options.packDir);
	for (const extra of options.extraPacks ?? []) await linkExtraPack(userFolder, extra);
	const logFile = join(userFolder, options.logName ?? 'n8n.log');
	const out = openSync(logFile, 'a');
	const child = spawn(
		options.runtime.n8nBin,
		[options.command ?? 'start', ...(options.args ?? [])],
		{
			cwd: userFolder,
			env: {
				...inheritedEnvironment(),
				...n8nEnvironment(options),
				...options.runtime.env,
				...options.env,
				PATH: pathWith(options.runtime.nodeBinDir),
			},
			stdio: ['ignore', out, out],
			detached: true,
		},
	);
	closeSync(out);
	const pid = child.pid;
	if (pid === undefined) throw new Error(`Could not spawn ${options.runtime.n8nBin}`);
	let exited: string | undefined;
	const exitedPromise = new Promise<string>((resolveExit) =>
		child.once('exit', (code, signal) => {
			exited = signal ?? `exit code ${code}`;
			resolveExit(exited);
		}),
	);
	// If this process dies without stop(), do not leave n8n running.
	const killOnExit = (): void => void killGroup(pid, 'SIGKILL');
	process.once('exit', killOnExit);

	const stop = async (): Promise<void> => {
		process.removeListener('exit', killOnExit);
		// SIGTERM to n8n only: it shuts its task runner down itself. The group is then
		// waited for, and killed if anything is left after the deadline.
		try {
			process.kill(pid, 'SIGTERM');
		} catch {
			// already gone
		}
		const deadline = Date.now() + 20_000;
		while (groupAlive(pid) && Date.now() < deadline) await realSleep(100);
		if (groupAlive(pid)) {
			killGroup(pid, 'SIGKILL');
			while (groupAlive(pid)) await realSleep(50);
		}
		if (exited === undefined) await exitedPromise;
	};

	const baseUrl = `http://127.0.0.1:${options.port}`;
	const healthUrl = `http://127.0.0.1:${options.healthPort ?? options.port}`;
	try {
		await waitFor(
			async () => {
				if (exited !== undefined)
					throw new ExitedError(`n8n exited (${exited}) before it was ready:\n${tailOf(logFile)}`);
				const response = await fetch(`${healthUrl}/healthz/readiness`, {
					signal: AbortSignal.timeout(2000),
				});
				if (!response.ok) return undefined;
				// Workers and webhook processors serve no REST routes; only a main instance is checked further.
				if ((options.command ?? 'start') !== 'start') return true;
				// n8n 1.x says ready before its REST routes are mounted (they answer 404 for a while).
				const routes = await fetch(`${baseUrl}/rest/login`, { signal: AbortSignal.timeout(2000) });
				return routes.status === 404 ? undefined : true;
			},
			{
				timeoutMs: options.readyTimeoutMs ?? 120_000,
				intervalMs: 200,
				what: `n8n readiness at ${healthUrl} (log: ${logFile})`,
				stopOn: ExitedError,
			},
		);
	} catch (error) {
		await stop();
		throw error;
	}
	return {
		baseUrl,
		publicUrl: `http://localhost:${options.port}`,
		port: options.port,
		pid,
		logFile,
		startMs: Date.now() - started,
		exited: exitedPromise,
		stop,
	};
}

class ExitedError extends Error {}

/** This process's environment minus NODE_ENV: under jest it is `test`, and n8n then exits at once with code 1. */
function inheritedEnvironment(): NodeJS.ProcessEnv {
	const env = { ...process.env };
	delete env.NODE_ENV;
	return env;
}

function tailOf(file: string, lines = 40): string {
	try {
		return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}
