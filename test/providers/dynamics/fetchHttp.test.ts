/**
 * The default DynamicsHttp (global fetch) against a real local HTTP server on 127.0.0.1:
 * headers on the wire, and a socket destroyed mid-request — fetch's own `TypeError: fetch
 * failed` with an undici cause — recognised as a connection failure and retried; an attempt past
 * the transport's deadline aborted so its socket is freed.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { CrmRequestError } from '../../../nodes/shared/transport/errors';
import { makeProvider, OLD_TOKEN } from './support';

const USER = 'e0000000-0000-0000-0000-000000000001';

let server: Server;
let orgUrl: string;
let seen: IncomingHttpHeaders[];
let dropFirst: number;
/** Requests left unanswered (a Dataverse that is still working), and whether the client hung up on them. */
let holdFirst: number;
let hungUp: number;

beforeAll(async () => {
	server = createServer((req, res) => {
		seen.push(req.headers);
		if (seen.length <= dropFirst) {
			req.socket.destroy();
			return;
		}
		if (seen.length <= holdFirst) {
			req.socket.on('close', () => (hungUp += 1));
			return;
		}
		res.writeHead(200, { 'Content-Type': 'application/json; odata.metadata=minimal' });
		res.end(
			JSON.stringify({
				value: [{ systemuserid: USER, internalemailaddress: 'ann@contoso.com', isdisabled: false }],
			}),
		);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	orgUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
	seen = [];
	dropFirst = 0;
	holdFirst = 0;
	hungUp = 0;
});

describe('fetchDynamicsHttp on a real socket', () => {
	it('sends the OData headers and the Bearer token, and retries a read after the connection is dropped', async () => {
		dropFirst = 1;
		const { provider, sleeps } = makeProvider({
			orgUrl,
			transport: { retry: { baseDelayMs: 10 } },
		});
		expect(await provider.resolveOwners(['ann@contoso.com'])).toEqual(
			new Map([['ann@contoso.com', USER]]),
		);
		expect(seen).toHaveLength(2);
		expect(sleeps).toEqual([10]);
		expect(seen[1]).toMatchObject({
			authorization: `Bearer ${OLD_TOKEN}`,
			'odata-maxversion': '4.0',
			'odata-version': '4.0',
			accept: 'application/json',
		});
	});

	it('gives up with a network error naming the request, never the token', async () => {
		dropFirst = 10;
		const { provider, sleeps } = makeProvider({
			orgUrl,
			transport: { retry: { maxRetries: 2, baseDelayMs: 10 } },
		});
		let error: unknown;
		try {
			await provider.resolveOwners(['ann@contoso.com']);
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(CrmRequestError);
		const failure = error as CrmRequestError;
		expect(failure.kind).toBe('gave-up');
		expect(failure.status).toBeUndefined();
		expect(failure.code).toMatch(/^(UND_ERR_SOCKET|ECONNRESET|EPIPE)$/);
		expect(failure.message).toContain('GET systemusers (resolve owners)');
		expect(`${failure.message}${JSON.stringify(failure)}`).not.toContain(OLD_TOKEN);
		expect(sleeps).toEqual([10, 20]);
		expect(seen).toHaveLength(3);
	});

	it("an attempt past the transport's deadline is aborted (the socket is freed), and a read is sent again", async () => {
		holdFirst = 1;
		const { provider } = makeProvider({ orgUrl, transport: { retry: { requestTimeoutMs: 100 } } });
		expect(await provider.resolveOwners(['ann@contoso.com'])).toEqual(
			new Map([['ann@contoso.com', USER]]),
		);
		expect(seen).toHaveLength(2);
		for (let waited = 0; hungUp === 0 && waited < 2000; waited += 20)
			await new Promise((resolve) => setTimeout(resolve, 20));
		expect(hungUp).toBe(1);
	});
});
