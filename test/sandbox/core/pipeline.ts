/**
 * The request pipeline shared by every vendor:
 * admin → vendor by prefix → body → fault → route → bearer check → rate limit → handler → log.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { FaultRegistry } from './faults';
import {
	BodyError,
	bearerToken,
	contentTypeOf,
	parseBody,
	readRawBody,
	writeJson,
	writeRaw,
} from './http';
import type {
	RateLimitSetting,
	SandboxResponse,
	VendorContext,
	VendorModule,
	VendorName,
} from './types';
import { SlidingWindowLimiter } from './rateLimiter';
import { redactQuery, redactSecrets, type RequestLog } from './requestLog';
import { Router } from './router';

export interface PipelineDeps {
	vendors: VendorModule[];
	context: VendorContext;
	faults: FaultRegistry;
	requests: RequestLog;
	rateLimits: Partial<Record<VendorName, RateLimitSetting | false>>;
	/** Handles `/__admin/...`; neither logged nor limited. */
	admin(
		method: string,
		path: string,
		query: URLSearchParams,
		body: unknown,
	): Promise<SandboxResponse>;
	log?: (line: string) => void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Pipeline {
	private readonly routers = new Map<VendorName, Router>();
	private readonly prefixes: Array<{ prefix: string; vendor: VendorModule }> = [];
	private readonly limiter: SlidingWindowLimiter;

	constructor(private readonly deps: PipelineDeps) {
		this.limiter = new SlidingWindowLimiter(deps.context.now);
		for (const vendor of deps.vendors) {
			const router = new Router();
			for (const route of vendor.routes(deps.context)) router.add(route);
			this.routers.set(vendor.name, router);
			for (const prefix of vendor.prefixes) this.prefixes.push({ prefix, vendor });
		}
		this.prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
	}

	resetRateLimits(): void {
		this.limiter.clear();
	}

	private vendorFor(path: string): VendorModule | undefined {
		return this.prefixes.find(({ prefix }) => path === prefix || path.startsWith(`${prefix}/`))
			?.vendor;
	}

	private rateLimitFor(vendor: VendorModule): RateLimitSetting | false {
		const configured = this.deps.rateLimits[vendor.name];
		return configured === undefined ? vendor.defaultRateLimit : configured;
	}

	async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const started = Date.now();
		const at = new Date(this.deps.context.now()).toISOString();
		const method = (req.method ?? 'GET').toUpperCase();
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const path = url.pathname;

		if (path === '/__admin' || path.startsWith('/__admin/')) {
			let body: unknown;
			try {
				body = parseBody(await readRawBody(req), contentTypeOf(req));
			} catch (error) {
				writeJson(res, 400, { error: (error as Error).message });
				return;
			}
			const answer = await this.deps.admin(method, path, url.searchParams, body);
			writeJson(res, answer.status, answer.body, answer.headers);
			return;
		}

		const vendor = this.vendorFor(path);
		if (!vendor) {
			writeJson(res, 404, { error: `no sandbox vendor serves ${path}` });
			return;
		}

		const router = this.routers.get(vendor.name)!;
		const match = router.match(method, path);
		let body: unknown;
		let answer: SandboxResponse | 'reset';
		let faultKind: string | undefined;
		try {
			body = parseBody(await readRawBody(req), contentTypeOf(req));
			answer = await this.answer(
				vendor,
				req,
				method,
				path,
				url.searchParams,
				body,
				match,
				(kind) => {
					faultKind = kind;
				},
			);
		} catch (error) {
			const message = error instanceof BodyError ? error.message : 'internal sandbox error';
			const status = error instanceof BodyError ? 400 : 500;
			if (!(error instanceof BodyError))
				this.deps.log?.(
					`sandbox handler error on ${method} ${path}: ${(error as Error).stack ?? String(error)}`,
				);
			answer = {
				status,
				body: vendor.errorBody(status === 400 ? 'bad_request' : 'fault', status, message),
			};
		}

		this.deps.requests.record({
			vendor: vendor.name,
			method,
			path,
			route: match?.route.template,
			query: redactQuery(url.searchParams),
			body: redactSecrets(body),
			status: answer === 'reset' ? 0 : answer.status,
			fault: faultKind,
			at,
		});
		const status = answer === 'reset' ? 'reset' : String(answer.status);
		this.deps.log?.(`${method} ${path} → ${status} (${Date.now() - started} ms)`);

		if (answer === 'reset') {
			req.socket.destroy();
			return;
		}
		if (answer.rawBody !== undefined) writeRaw(res, answer.status, answer.rawBody, answer.headers);
		else writeJson(res, answer.status, answer.body, answer.headers);
	}

	private async answer(
		vendor: VendorModule,
		req: IncomingMessage,
		method: string,
		path: string,
		query: URLSearchParams,
		body: unknown,
		match: ReturnType<Router['match']>,
		noteFault: (kind: string) => void,
	): Promise<SandboxResponse | 'reset'> {
		const fault = this.deps.faults.take(vendor.name, method, path);
		if (fault) {
			noteFault(fault.kind);
			switch (fault.kind) {
				case 'reset':
					return 'reset';
				case 'status': {
					const status = fault.status ?? 500;
					const headers: Record<string, string> = {};
					if (fault.retryAfterSeconds !== undefined)
						headers['Retry-After'] = String(fault.retryAfterSeconds);
					const kind = status === 429 ? 'rate_limited' : 'fault';
					return {
						status,
						body: vendor.errorBody(kind, status, `Injected fault: HTTP ${status}`),
						headers,
					};
				}
				case 'slow':
					await sleep(fault.delayMs ?? 0);
					break;
				case 'dropAnswer':
					break; // handled below, after the request was carried out
				case 'expireTokens':
					this.deps.context.tokens.expireAll(vendor.name);
					break;
			}
		}

		if (match?.route.public) {
			return match.route.handler({
				method,
				path,
				query,
				headers: req.headers,
				body,
				params: match.params,
			});
		}

		// Like the real APIs, authentication is checked before the route is resolved.
		const token = bearerToken(req);
		const check = token ? this.deps.context.tokens.check(vendor.name, token) : 'unknown';
		if (check !== 'ok') {
			const kind = check === 'expired' ? 'expired' : 'unauthenticated';
			const message =
				check === 'expired'
					? 'The access token has expired.'
					: 'Authentication credentials not found or invalid.';
			return { status: 401, body: vendor.errorBody(kind, 401, message) };
		}

		if (!match) {
			const status = this.routers.get(vendor.name)!.hasPath(path) ? 405 : 404;
			const message =
				status === 405
					? `Method ${method} not allowed on ${path}`
					: `No route for ${method} ${path}`;
			return { status, body: vendor.errorBody('not_found', status, message) };
		}
		const request = {
			method,
			path,
			query,
			headers: req.headers,
			body,
			params: match.params,
			token,
		};

		let limitHeaders: Record<string, string> = {};
		const setting = this.rateLimitFor(vendor);
		if (setting) {
			const { allowed, state } = this.limiter.take(`${vendor.name}:${token}`, setting);
			limitHeaders = vendor.rateLimitHeaders?.(state) ?? {};
			if (!allowed) {
				return {
					status: 429,
					body: vendor.errorBody('rate_limited', 429, 'Rate limit exceeded'),
					headers: { ...limitHeaders, ...(vendor.rateLimitedHeaders?.(state) ?? {}) },
				};
			}
		}
		const answer = await match.route.handler(request);
		if (fault?.kind === 'dropAnswer') {
			if (fault.status === undefined) return 'reset';
			return {
				status: fault.status,
				body: vendor.errorBody(
					'fault',
					fault.status,
					`Injected fault: HTTP ${fault.status} after storing`,
				),
			};
		}
		return { ...answer, headers: { ...limitHeaders, ...(answer.headers ?? {}) } };
	}
}
