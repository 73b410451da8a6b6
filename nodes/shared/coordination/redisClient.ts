/**
 * A small Redis client over node:net / node:tls for the few commands the pack's coordination
 * needs. A community package cannot reach n8n's own Redis client, and the needs are small:
 * - one connection, opened on first use, with AUTH and SELECT as n8n's settings say;
 * - pipelining: any number of commands in flight, replies matched in order;
 * - a deadline per command: a connection that stops answering is dropped (every command
 *   waiting on it fails), and the next command opens a new one;
 * - reconnect with a growing pause after failed attempts, so a Redis outage costs one fast
 *   failure per caller instead of a connection storm;
 * - Lua scripts by SHA1 (EVALSHA), sent in full once when the server does not know them;
 * - Redis Cluster redirects (MOVED): the pack keeps all its keys in one hash slot, so it
 *   follows the redirect to the node that owns that slot.
 * Messages never carry the password.
 */
import { createHash } from 'node:crypto';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

import { afterDeadline } from './timerSignal';
import {
	encodeCommand,
	ProtocolError,
	RedisReplyError,
	RespDecoder,
	type RedisArgument,
	type RedisReply,
} from './resp';

export interface RedisTlsOptions {
	servername?: string;
	rejectUnauthorized: boolean;
}

export interface RedisConnectionOptions {
	host: string;
	port: number;
	username?: string;
	password?: string;
	db?: number;
	tls?: RedisTlsOptions | false;
	/** Deadline for opening a connection (TCP, TLS, AUTH, SELECT). */
	connectTimeoutMs?: number;
	/** Deadline for the reply to each command (or pipeline). */
	commandTimeoutMs?: number;
	/** Pause after the first failed connection attempt; doubled per further failure up to the maximum. */
	reconnectDelayMs?: number;
	maxReconnectDelayMs?: number;
}

/** Redis could not be reached, the connection broke, or a reply did not come in time. */
export class RedisConnectionError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'RedisConnectionError';
	}
}

export class LuaScript {
	readonly sha: string;

	constructor(readonly source: string) {
		this.sha = createHash('sha1').update(source).digest('hex');
	}
}

interface Waiting {
	resolve(reply: RedisReply): void;
	reject(error: Error): void;
}

/** One socket and the replies it still owes, in the order the commands were written. */
class Connection {
	private readonly decoder = new RespDecoder();
	private readonly waiting: Waiting[] = [];
	private failure: Error | undefined;
	private retiring = false;

	constructor(
		readonly socket: Socket,
		private readonly onClosed: (connection: Connection) => void,
	) {
		socket.on('data', (chunk: Buffer) => this.receive(chunk));
		socket.on('error', (error) =>
			this.fail(new RedisConnectionError(`Redis connection failed: ${error.message}`)),
		);
		socket.on('close', () => this.fail(new RedisConnectionError('Redis closed the connection')));
	}

	get broken(): boolean {
		return this.failure !== undefined;
	}

	/** Writes the commands in one go; resolves with their replies (error replies as values). */
	send(
		commands: ReadonlyArray<readonly RedisArgument[]>,
		timeoutMs: number,
	): Promise<RedisReply[]> {
		if (this.failure) return Promise.reject(this.failure);
		return new Promise<RedisReply[]>((resolve, reject) => {
			const replies: RedisReply[] = new Array(commands.length);
			let left = commands.length;
			let settled = false;
			const deadline = afterDeadline(timeoutMs, () => {
				this.fail(new RedisConnectionError(`Redis did not answer within ${timeoutMs} ms`));
			});
			const finish = (error?: Error): void => {
				if (settled) return;
				settled = true;
				deadline.cancel();
				if (error) reject(error);
				else resolve(replies);
			};
			// Busy: the socket keeps the process alive until the replies are in (idle, it does not).
			if (this.waiting.length === 0) this.socket.ref();
			commands.forEach((_, index) => {
				this.waiting.push({
					resolve: (reply) => {
						replies[index] = reply;
						left -= 1;
						if (left === 0) finish();
					},
					reject: (error) => finish(error),
				});
			});
			let bytes: Buffer;
			try {
				bytes = Buffer.concat(commands.map(encodeCommand));
			} catch (error) {
				// Nothing was written: take the entries back out before failing.
				this.waiting.splice(this.waiting.length - commands.length, commands.length);
				if (this.waiting.length === 0) this.socket.unref();
				finish(error as Error);
				return;
			}
			this.socket.write(bytes);
		});
	}

	/** Fails every waiting command and closes the socket; later sends fail at once. */
	fail(error: Error): void {
		if (this.failure) return;
		this.failure = error;
		for (const waiting of this.waiting.splice(0)) waiting.reject(error);
		this.socket.destroy();
		this.onClosed(this);
	}

	/** Closes once every waiting command has its reply. */
	retire(): void {
		this.retiring = true;
		this.closeIfRetired();
	}

	private closeIfRetired(): void {
		if (this.retiring && this.waiting.length === 0)
			this.fail(new RedisConnectionError('Redis connection retired'));
	}

	private receive(chunk: Buffer): void {
		let replies: RedisReply[];
		try {
			replies = this.decoder.push(chunk);
		} catch (error) {
			this.fail(
				new RedisConnectionError(
					error instanceof ProtocolError ? error.message : 'Redis sent an unreadable reply',
				),
			);
			return;
		}
		for (const reply of replies) {
			const waiting = this.waiting.shift();
			if (!waiting) {
				this.fail(new RedisConnectionError('Redis sent a reply nobody asked for'));
				return;
			}
			waiting.resolve(reply);
		}
		if (this.waiting.length === 0) this.socket.unref();
		this.closeIfRetired();
	}
}

const DEFAULTS = {
	connectTimeoutMs: 5_000,
	commandTimeoutMs: 5_000,
	reconnectDelayMs: 250,
	maxReconnectDelayMs: 5_000,
};

export class RedisClient {
	private target: { host: string; port: number };
	private current: Connection | undefined;
	private opening: Promise<Connection> | undefined;
	private failures = 0;
	private nextAttemptAt = 0;
	private lastFailure: Error | undefined;
	private closed = false;
	private readonly settings: typeof DEFAULTS;

	constructor(private readonly options: RedisConnectionOptions) {
		this.target = { host: options.host, port: options.port };
		this.settings = {
			connectTimeoutMs: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
			commandTimeoutMs: options.commandTimeoutMs ?? DEFAULTS.commandTimeoutMs,
			reconnectDelayMs: options.reconnectDelayMs ?? DEFAULTS.reconnectDelayMs,
			maxReconnectDelayMs: options.maxReconnectDelayMs ?? DEFAULTS.maxReconnectDelayMs,
		};
	}

	/** host:port of the node this client talks to (after cluster redirects, the slot's owner). */
	get address(): string {
		return `${this.target.host}:${this.target.port}`;
	}

	/** One command; an error reply is thrown as RedisReplyError. */
	async command(args: readonly RedisArgument[]): Promise<RedisReply> {
		const [reply] = await this.pipeline([args]);
		if (reply instanceof RedisReplyError) throw reply;
		return reply;
	}

	/**
	 * Several commands written at once; their replies in order, an error reply as a
	 * RedisReplyError value in its place. A broken connection rejects the whole pipeline.
	 */
	async pipeline(commands: ReadonlyArray<readonly RedisArgument[]>): Promise<RedisReply[]> {
		if (commands.length === 0) return [];
		for (let redirects = 0; ; redirects++) {
			const connection = await this.connection();
			const replies = await connection.send(commands, this.settings.commandTimeoutMs);
			const redirect = replies.find(
				(reply): reply is RedisReplyError =>
					reply instanceof RedisReplyError && reply.code === 'MOVED',
			);
			if (!redirect || redirects >= 3) return replies;
			this.follow(redirect);
		}
	}

	/** Runs a Lua script by its SHA1, sending the source once if the server does not have it. */
	async evalScript(
		script: LuaScript,
		keys: readonly string[],
		args: readonly RedisArgument[],
	): Promise<RedisReply> {
		const tail = [keys.length, ...keys, ...args];
		const [reply] = await this.pipeline([['EVALSHA', script.sha, ...tail]]);
		if (reply instanceof RedisReplyError && reply.code === 'NOSCRIPT')
			return await this.command(['EVAL', script.source, ...tail]);
		if (reply instanceof RedisReplyError) throw reply;
		return reply;
	}

	/** Closes the connection; later commands fail. */
	async close(): Promise<void> {
		this.closed = true;
		const connection = this.current ?? (await this.opening?.catch(() => undefined));
		this.current = undefined;
		connection?.fail(new RedisConnectionError('Redis client closed'));
	}

	private follow(redirect: RedisReplyError): void {
		// "MOVED <slot> <host>:<port>": the slot lives on another cluster node from now on.
		const address = redirect.message.split(' ')[2] ?? '';
		const colon = address.lastIndexOf(':');
		const port = Number(address.slice(colon + 1));
		const host = address.slice(0, colon) || this.target.host;
		if (colon < 0 || !Number.isInteger(port) || port <= 0)
			throw new RedisConnectionError(`Redis sent an unreadable redirect: ${redirect.message}`);
		if (host === this.target.host && port === this.target.port) return;
		this.target = { host, port };
		const old = this.current;
		this.current = undefined;
		old?.retire();
	}

	private async connection(): Promise<Connection> {
		if (this.closed) throw new RedisConnectionError('Redis client closed');
		if (this.current && !this.current.broken) return this.current;
		if (this.opening) return await this.opening;
		if (this.lastFailure && Date.now() < this.nextAttemptAt) {
			throw new RedisConnectionError(
				`Redis at ${this.address} is unreachable (${this.lastFailure.message}); next attempt in ${this.nextAttemptAt - Date.now()} ms`,
			);
		}
		this.opening = this.open().then(
			(connection) => {
				this.failures = 0;
				this.lastFailure = undefined;
				this.current = connection;
				return connection;
			},
			(error: Error) => {
				this.failures += 1;
				this.lastFailure = error;
				this.nextAttemptAt =
					Date.now() +
					Math.min(
						this.settings.maxReconnectDelayMs,
						this.settings.reconnectDelayMs * 2 ** (this.failures - 1),
					);
				throw new RedisConnectionError(`Redis at ${this.address} is unreachable: ${error.message}`);
			},
		);
		try {
			return await this.opening;
		} finally {
			this.opening = undefined;
		}
	}

	private async open(): Promise<Connection> {
		const { host, port } = this.target;
		const tls = this.options.tls;
		const socket = tls
			? tlsConnect({
					host,
					port,
					servername: tls.servername || host,
					rejectUnauthorized: tls.rejectUnauthorized,
				})
			: netConnect({ host, port });
		await new Promise<void>((resolve, reject) => {
			const deadline = afterDeadline(this.settings.connectTimeoutMs, () => {
				socket.destroy();
				reject(new Error(`no connection within ${this.settings.connectTimeoutMs} ms`));
			});
			socket.once(tls ? 'secureConnect' : 'connect', () => {
				deadline.cancel();
				resolve();
			});
			socket.once('error', (error) => {
				deadline.cancel();
				reject(error);
			});
		});
		socket.setNoDelay(true);
		socket.setKeepAlive(true, 10_000);
		// An idle connection must not keep a process (a test, `n8n execute`) alive; a busy one is ref'd in send().
		socket.unref();
		const connection = new Connection(socket, (closed) => {
			if (this.current === closed) this.current = undefined;
		});
		const handshake: RedisArgument[][] = [];
		const { username, password, db } = this.options;
		if (password) handshake.push(username ? ['AUTH', username, password] : ['AUTH', password]);
		if (db) handshake.push(['SELECT', db]);
		if (handshake.length > 0) {
			const replies = await connection.send(handshake, this.settings.connectTimeoutMs);
			const refused = replies.find(
				(reply): reply is RedisReplyError => reply instanceof RedisReplyError,
			);
			if (refused) {
				connection.fail(new RedisConnectionError('handshake refused'));
				// WRONGPASS / NOAUTH / ERR DB index out of range: the server's words, never the password.
				throw new Error(`${handshake[replies.indexOf(refused)][0]} refused: ${refused.message}`);
			}
		}
		return connection;
	}
}
