import fc from 'fast-check';

import {
	encodeCommand,
	ProtocolError,
	RedisReplyError,
	RespDecoder,
	type RedisReply,
} from '../../../nodes/shared/coordination/resp';

/** The server side of RESP2, written out independently of the decoder under test. */
function serverEncode(reply: RedisReply): string {
	if (reply === null) return '$-1\r\n';
	if (reply instanceof RedisReplyError) return `-${reply.message}\r\n`;
	if (typeof reply === 'number') return `:${reply}\r\n`;
	if (Array.isArray(reply)) return `*${reply.length}\r\n${reply.map(serverEncode).join('')}`;
	return `$${Buffer.byteLength(reply)}\r\n${reply}\r\n`;
}

const reply: fc.Arbitrary<RedisReply> = fc.letrec<{ reply: RedisReply }>((tie) => ({
	reply: fc.oneof(
		{ depthSize: 'small' },
		fc.string({ unit: 'grapheme' }),
		fc.integer(),
		fc.constant(null),
		fc
			.constantFrom('NOSCRIPT No matching script', 'ERR wrong number of arguments')
			.map((message) => new RedisReplyError(message)),
		fc.array(tie('reply'), { maxLength: 4 }),
	),
})).reply;

/** Splits bytes at the given cut points. */
function chunks(bytes: Buffer, cuts: number[]): Buffer[] {
	const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
	const parts: Buffer[] = [];
	let from = 0;
	for (const point of points) {
		parts.push(bytes.subarray(from, point));
		from = point;
	}
	parts.push(bytes.subarray(from));
	return parts;
}

describe('RESP', () => {
	it('encodes a command as an array of bulk strings, counting bytes, not characters', () => {
		expect(encodeCommand(['SET', 'clé', 42]).toString()).toBe(
			'*3\r\n$3\r\nSET\r\n$4\r\nclé\r\n$2\r\n42\r\n',
		);
		expect(() => encodeCommand([])).toThrow(RangeError);
		expect(() => encodeCommand(['PEXPIRE', 'k', Number.NaN])).toThrow(RangeError);
	});

	it('decodes every reply type, whatever way the bytes are cut into chunks (pipelined replies included)', () => {
		fc.assert(
			fc.property(
				fc.array(reply, { minLength: 1, maxLength: 6 }),
				fc.array(fc.nat(), { maxLength: 8 }),
				(replies, cuts) => {
					const decoder = new RespDecoder();
					const bytes = Buffer.from(replies.map(serverEncode).join(''), 'utf8');
					const decoded = chunks(bytes, cuts).flatMap((chunk) => decoder.push(chunk));
					expect(decoded).toEqual(replies);
					expect(decoder.pendingBytes).toBe(0);
				},
			),
		);
	});

	it('keeps an unfinished reply until the rest arrives, and reads error codes', () => {
		const decoder = new RespDecoder();
		expect(decoder.push(Buffer.from('*2\r\n$5\r\nhel'))).toEqual([]);
		expect(decoder.push(Buffer.from('lo\r\n-MOVED 12 10.0.0.2:6379\r\n:7\r\n'))).toEqual([
			['hello', new RedisReplyError('MOVED 12 10.0.0.2:6379')],
			7,
		]);
		expect(decoder.push(Buffer.from('+OK\r\n$-1\r\n*-1\r\n'))).toEqual(['OK', null, null]);
		const [error] = new RespDecoder().push(Buffer.from('-NOSCRIPT No matching script\r\n'));
		expect(error).toBeInstanceOf(RedisReplyError);
		expect((error as RedisReplyError).code).toBe('NOSCRIPT');
	});

	it('refuses bytes that are not RESP', () => {
		expect(() => new RespDecoder().push(Buffer.from('HTTP/1.1 400 Bad Request\r\n'))).toThrow(
			ProtocolError,
		);
		expect(() => new RespDecoder().push(Buffer.from(':12a\r\n'))).toThrow(ProtocolError);
	});
});
