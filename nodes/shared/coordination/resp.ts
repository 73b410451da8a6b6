/**
 * RESP2, the wire protocol of Redis: commands go out as arrays of bulk strings, replies come
 * back as simple strings, errors, integers, bulk strings (null when absent) or arrays of those.
 * The decoder is incremental: a reply may arrive in any number of TCP chunks, and one chunk
 * may hold several replies (pipelining).
 */

/** An error reply (`-ERR ...`); returned as a value so one failed command in a pipeline does not hide the others. */
export class RedisReplyError extends Error {
	/** The first word of the message: ERR, NOSCRIPT, MOVED, WRONGTYPE ... */
	readonly code: string;

	constructor(message: string) {
		super(message);
		this.name = 'RedisReplyError';
		this.code = message.split(' ', 1)[0] ?? 'ERR';
	}
}

export type RedisReply = string | number | null | RedisReplyError | RedisReply[];

export type RedisArgument = string | number;

const CRLF = Buffer.from('\r\n');

/** One command as RESP: `*<n>` then every argument as a bulk string. */
export function encodeCommand(args: readonly RedisArgument[]): Buffer {
	if (args.length === 0) throw new RangeError('a Redis command needs at least its name');
	const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
	for (const arg of args) {
		if (typeof arg === 'number' && !Number.isFinite(arg))
			throw new RangeError(`a Redis argument must be a finite number, got ${arg}`);
		const bytes = Buffer.from(String(arg), 'utf8');
		parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, CRLF);
	}
	return Buffer.concat(parts);
}

/** Returned by a parse step that needs more bytes. */
const INCOMPLETE = Symbol('incomplete');

interface Parsed {
	value: RedisReply;
	next: number;
}

export class ProtocolError extends Error {}

/**
 * Feeds bytes in, takes whole replies out, in the order they arrived. Bytes of a reply that
 * is not complete yet are kept until the rest arrives.
 */
export class RespDecoder {
	private buffer: Buffer = Buffer.alloc(0);

	/** Appends a chunk and returns every reply that is now complete. */
	push(chunk: Buffer): RedisReply[] {
		this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
		const replies: RedisReply[] = [];
		let offset = 0;
		for (;;) {
			const parsed = parseAt(this.buffer, offset);
			if (parsed === INCOMPLETE) break;
			replies.push(parsed.value);
			offset = parsed.next;
		}
		this.buffer = offset === this.buffer.length ? Buffer.alloc(0) : this.buffer.subarray(offset);
		return replies;
	}

	/** Bytes held for a reply that has not fully arrived. */
	get pendingBytes(): number {
		return this.buffer.length;
	}

	reset(): void {
		this.buffer = Buffer.alloc(0);
	}
}

function integerLine(buffer: Buffer, start: number, end: number): number {
	const text = buffer.toString('latin1', start, end);
	if (!/^-?\d+$/.test(text))
		throw new ProtocolError(`Redis sent a malformed number: "${text.slice(0, 40)}"`);
	return Number(text);
}

function parseAt(buffer: Buffer, offset: number): Parsed | typeof INCOMPLETE {
	if (offset >= buffer.length) return INCOMPLETE;
	const end = buffer.indexOf(CRLF, offset + 1);
	if (end < 0) return INCOMPLETE;
	const type = String.fromCharCode(buffer[offset]);
	const start = offset + 1;
	switch (type) {
		case '+':
			return { value: buffer.toString('utf8', start, end), next: end + 2 };
		case '-':
			return { value: new RedisReplyError(buffer.toString('utf8', start, end)), next: end + 2 };
		case ':':
			return { value: integerLine(buffer, start, end), next: end + 2 };
		case '$': {
			const length = integerLine(buffer, start, end);
			if (length < 0) return { value: null, next: end + 2 };
			const dataStart = end + 2;
			if (buffer.length < dataStart + length + 2) return INCOMPLETE;
			return {
				value: buffer.toString('utf8', dataStart, dataStart + length),
				next: dataStart + length + 2,
			};
		}
		case '*': {
			const count = integerLine(buffer, start, end);
			if (count < 0) return { value: null, next: end + 2 };
			const items: RedisReply[] = [];
			let next = end + 2;
			for (let i = 0; i < count; i++) {
				const item = parseAt(buffer, next);
				if (item === INCOMPLETE) return INCOMPLETE;
				items.push(item.value);
				next = item.next;
			}
			return { value: items, next };
		}
		default:
			throw new ProtocolError(`Redis sent an unknown reply type "${type}"`);
	}
}
