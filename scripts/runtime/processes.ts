import { spawn, type SpawnOptions } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { delimiter } from 'node:path';

/** PATH with `dir` first, so children that spawn plain `node` (n8n's task runner) get Node 24. */
export function pathWith(dir: string, basePath: string = process.env.PATH ?? ''): string {
	return [dir, basePath].filter((part) => part.length > 0).join(delimiter);
}

/** PATH without any node_modules/.bin entry, i.e. the machine's own node and npm. */
export function systemPath(basePath: string = process.env.PATH ?? ''): string {
	return basePath
		.split(delimiter)
		.filter((part) => part.length > 0 && !/node_modules[\\/]\.bin$/.test(part))
		.join(delimiter);
}

export interface RunOptions extends Pick<SpawnOptions, 'cwd' | 'env'> {
	/** Every output line is appended here (full log) ... */
	logFile: string;
	/** ... and passed here, for progress (e.g. prefixed onto stderr). */
	onLine?: (line: string) => void;
	timeoutMs: number;
}

/** Runs a command to completion with a deadline; rejects with the tail of its output on failure. */
export async function runCommand(
	command: string,
	args: string[],
	options: RunOptions,
): Promise<void> {
	const log = createWriteStream(options.logFile, { flags: 'a' });
	const tail: string[] = [];
	const child = spawn(command, args, {
		cwd: options.cwd,
		env: options.env,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	const onData = (chunk: Buffer): void => {
		log.write(chunk);
		for (const line of chunk.toString('utf8').split(/\r?\n/)) {
			if (line.trim().length === 0) continue;
			tail.push(line);
			if (tail.length > 30) tail.shift();
			options.onLine?.(line);
		}
	};
	// Detached (own process group, so a timeout kills npm's whole tree); die with this process.
	const killOnExit = (): void => void killGroup(child.pid, 'SIGKILL');
	process.once('exit', killOnExit);
	child.stdout?.on('data', onData);
	child.stderr?.on('data', onData);
	try {
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => {
				killGroup(child.pid, 'SIGKILL');
				reject(new Error(`${command} ${args.join(' ')} took longer than ${options.timeoutMs} ms`));
			}, options.timeoutMs);
			child.once('error', (error) => {
				clearTimeout(timer);
				reject(error);
			});
			child.once('exit', (code, signal) => {
				clearTimeout(timer);
				if (code === 0) resolve();
				else
					reject(
						new Error(
							`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}); see ${options.logFile}:\n${tail.join('\n')}`,
						),
					);
			});
		});
	} finally {
		process.removeListener('exit', killOnExit);
		await new Promise<void>((resolve) => log.end(resolve));
	}
}

/** Signals a whole process group (the child was spawned detached, so its pid is the group id). */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals): boolean {
	if (pid === undefined) return false;
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		return false; // already gone
	}
}

/** True while any process of the group is alive (signal 0 only checks). */
export function groupAlive(pid: number): boolean {
	try {
		process.kill(-pid, 0);
		return true;
	} catch {
		return false;
	}
}
