/**
 * A scripted Salesforce REST endpoint on 127.0.0.1 for provider tests.
 *
 * Why a real server and not undici's MockAgent: jsforce 3.10.x fetches through undici
 * with its *own* module-level Agent (lib/request.js passes `dispatcher: jsforceDispatcher`
 * on every fetch), so `setGlobalDispatcher(mockAgent)` never sees its requests. A local
 * server exercises jsforce's real HTTP path end to end.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { createSalesforceProvider } from '../../../nodes/shared/providers/salesforce';
import type { CrmProvider } from '../../../nodes/shared/providers/CrmProvider';
import type { TokenSource } from '../../../nodes/shared/transport/types';

export const API = '/services/data/v62.0';

export interface RecordedRequest {
	method: string;
	/** Path without the query string. */
	path: string;
	query: URLSearchParams;
	headers: IncomingMessage['headers'];
	body: unknown;
}

export interface FakeReply {
	/** Drop the connection without answering (a reset after the request arrived). */
	reset?: boolean;
	status?: number;
	body?: unknown;
	/** Sent as is instead of JSON (a blob field's bytes); give its content-type in `headers`. */
	raw?: string;
	headers?: Record<string, string>;
}

type Responder = FakeReply | ((request: RecordedRequest) => FakeReply);

interface Route {
	method: string;
	path: string | RegExp;
	respond: Responder;
	remaining: number;
}

export class FakeSalesforce {
	readonly requests: RecordedRequest[] = [];
	readonly unmatched: RecordedRequest[] = [];
	private readonly routes: Route[] = [];
	private server?: Server;
	url = '';

	/** Answers matching requests `times` times (default: always); earlier routes win while they last. */
	on(
		method: string,
		path: string | RegExp,
		respond: Responder,
		times = Number.POSITIVE_INFINITY,
	): this {
		this.routes.push({ method, path, respond, remaining: times });
		return this;
	}

	once(method: string, path: string | RegExp, respond: Responder): this {
		return this.on(method, path, respond, 1);
	}

	/** Requests to one path (exact, without query), in order. */
	to(method: string, path: string): RecordedRequest[] {
		return this.requests.filter((request) => request.method === method && request.path === path);
	}

	/** Decoded `q` parameters of every /query and /search call and of every composite query subrequest, in order. */
	queries(): string[] {
		return this.requests.flatMap((request) => {
			if (request.path === `${API}/query` || request.path === `${API}/search`)
				return [request.query.get('q') ?? ''];
			if (request.path === `${API}/composite`) return compositeQueries(request);
			return [];
		});
	}

	async start(): Promise<this> {
		this.server = createServer((req, res) => void this.handle(req, res));
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		const { port } = this.server.address() as AddressInfo;
		this.url = `http://127.0.0.1:${port}`;
		return this;
	}

	async close(): Promise<void> {
		const server = this.server;
		if (!server) return;
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const text = Buffer.concat(chunks).toString('utf8');
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const request: RecordedRequest = {
			method: req.method ?? 'GET',
			path: url.pathname,
			query: url.searchParams,
			headers: req.headers,
			body: text ? (JSON.parse(text) as unknown) : undefined,
		};
		this.requests.push(request);
		const route = this.routes.find(
			(candidate) =>
				candidate.remaining > 0 &&
				candidate.method === request.method &&
				(typeof candidate.path === 'string'
					? candidate.path === request.path
					: candidate.path.test(request.path)),
		);
		if (!route) {
			this.unmatched.push(request);
			res.writeHead(501, { 'content-type': 'application/json' });
			res.end(
				JSON.stringify([
					{ errorCode: 'NOT_SCRIPTED', message: `${request.method} ${request.path}` },
				]),
			);
			return;
		}
		route.remaining--;
		const reply = typeof route.respond === 'function' ? route.respond(request) : route.respond;
		if (reply.reset) {
			req.socket.destroy();
			return;
		}
		const status = reply.status ?? 200;
		const headers = { 'content-type': 'application/json;charset=UTF-8', ...reply.headers };
		res.writeHead(status, headers);
		res.end(reply.raw ?? (reply.body === undefined ? '' : JSON.stringify(reply.body)));
	}
}

/** Tokens as n8n would hand them out: `token-1`, and `token-2`, `token-3` … after each refresh. */
export class CountingTokens implements TokenSource {
	refreshes = 0;
	current = 'token-1';

	async getAccessToken(): Promise<string> {
		return this.current;
	}

	async refresh(): Promise<string> {
		this.refreshes++;
		this.current = `token-${this.refreshes + 1}`;
		return this.current;
	}
}

/**
 * A virtual clock: `sleep` records the wait and moves `now` forward instead of waiting, so
 * the transport and its rate limiter see time pass without the test taking that long.
 */
export function virtualClock(start = Date.parse('2026-11-21T12:00:00Z')) {
	let time = start;
	const waits: number[] = [];
	return {
		waits,
		now: () => time,
		sleep: async (ms: number) => {
			waits.push(ms);
			time += ms;
		},
	};
}

/** Provider tests may only reach 127.0.0.1 (nock guards node:http and global fetch). */
export function localNetworkOnly(): void {
	nock.disableNetConnect();
	nock.enableNetConnect('127.0.0.1');
}

let limiterCounter = 0;
/** A fresh limiter key per provider so tests never share a rate limiter. */
export function uniqueLimiterKey(): string {
	limiterCounter++;
	return `salesforce-test-${process.pid}-${limiterCounter}`;
}

/** The decoded SOQL of each query subrequest of a `POST /composite` request. */
export function compositeQueries(request: RecordedRequest): string[] {
	const subrequests = (request.body as { compositeRequest?: Array<{ url: string }> })
		.compositeRequest;
	return (subrequests ?? []).map(
		(sub) => new URL(sub.url, 'http://composite.invalid').searchParams.get('q') ?? '',
	);
}

/** A composite answer: each query subrequest answered by `answer(soql)` (a page or an error reply). */
export function compositeReply(
	request: RecordedRequest,
	answer: (soql: string) => { status?: number; body: unknown },
): FakeReply {
	const subrequests = (request.body as { compositeRequest: Array<{ referenceId: string }> })
		.compositeRequest;
	const soqls = compositeQueries(request);
	return {
		body: {
			compositeResponse: subrequests.map((sub, index) => {
				const reply = answer(soqls[index]);
				return {
					body: reply.body,
					httpHeaders: {},
					httpStatusCode: reply.status ?? 200,
					referenceId: sub.referenceId,
				};
			}),
		},
	};
}

export function queryResult<R>(records: R[], nextRecordsUrl?: string) {
	return {
		totalSize: records.length,
		done: nextRecordsUrl === undefined,
		records,
		...(nextRecordsUrl ? { nextRecordsUrl } : {}),
	};
}

export interface FakeOrg {
	/** This test's fake endpoint. */
	readonly fake: FakeSalesforce;
	/** A default provider on `fake`: fresh tokens, own limiter, virtual clock. */
	readonly provider: CrmProvider;
}

/**
 * Registers jest hooks that start a new fake org with a default provider before each test
 * and close it after. Read `fake` / `provider` inside tests only: both are replaced per test,
 * which is why they are getters rather than values.
 */
export function fakeOrgPerTest(): FakeOrg {
	let current: { fake: FakeSalesforce; provider: CrmProvider } | undefined;
	beforeAll(localNetworkOnly);
	beforeEach(async () => {
		const fake = await new FakeSalesforce().start();
		const provider = createSalesforceProvider({
			tokens: new CountingTokens(),
			instanceUrl: fake.url,
			limiterKey: uniqueLimiterKey(),
			transport: virtualClock(),
		});
		current = { fake, provider };
	});
	afterEach(async () => {
		await current?.fake.close();
		current = undefined;
	});
	const started = (): { fake: FakeSalesforce; provider: CrmProvider } => {
		if (!current) throw new Error('fakeOrgPerTest: fake and provider exist only while a test runs');
		return current;
	};
	return {
		get fake() {
			return started().fake;
		},
		get provider() {
			return started().provider;
		},
	};
}
