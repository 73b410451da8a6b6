import { randomUUID } from 'node:crypto';
import { waitFor } from './waitFor';

/** Fixed demo/test login. Local throwaway instances only — never a real deployment. */
export const LOCAL_OWNER = {
	email: 'demo@example.com',
	password: 'CrmSyncDemo-2026',
	firstName: 'Demo',
	lastName: 'Owner',
} as const;

export type OwnerLogin = { email: string; password: string; firstName: string; lastName: string };

/** A logged-in owner session for n8n's internal /rest API (what the editor uses). */
export interface OwnerSession {
	baseUrl: string;
	cookie: string;
	/** n8n binds the auth cookie to the browser-id header it was issued with. */
	browserId: string;
}

export interface Bootstrap extends OwnerSession {
	apiKey: string;
	/** true when this call created the owner (first start of the user folder). */
	createdOwner: boolean;
}

export class N8nHttpError extends Error {
	constructor(
		readonly status: number,
		readonly method: string,
		readonly path: string,
		body: string,
	) {
		// Bodies of error answers hold n8n's message, never the API key (it travels in a header only).
		super(`n8n ${method} ${path} answered ${status}: ${body.slice(0, 500)}`);
	}
}

/**
 * A kept-alive connection that n8n closes just as it is reused fails with "other side closed"
 * or a reset (Node's server drops idle sockets after 5 s; a busy machine makes the race
 * likely): a read is sent once more on a fresh connection. Writes are never repeated.
 */
async function send(url: string, init: RequestInit): Promise<Response> {
	const attempt = (): Promise<Response> =>
		fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
	if ((init.method ?? 'GET') !== 'GET') return await attempt();
	try {
		return await attempt();
	} catch (error) {
		const cause = (error as { cause?: { code?: string; message?: string } }).cause;
		const dropped =
			cause?.code === 'UND_ERR_SOCKET' ||
			cause?.code === 'ECONNRESET' ||
			/other side closed/.test(cause?.message ?? '');
		if (!dropped) throw error;
		return await attempt();
	}
}

async function call(url: string, init: RequestInit, label: string): Promise<Response> {
	const response = await send(url, init);
	if (!response.ok) {
		throw new N8nHttpError(response.status, init.method ?? 'GET', label, await response.text());
	}
	return response;
}

function authCookie(response: Response): string {
	const cookie = response.headers
		.getSetCookie()
		.map((header) => header.split(';')[0])
		.find((pair) => pair.startsWith('n8n-auth='));
	if (cookie === undefined) throw new Error('n8n did not set its auth cookie');
	return cookie;
}

/** Calls the internal /rest API with the owner session; returns its `data` envelope content. */
export async function restCall<T>(
	session: OwnerSession,
	method: string,
	path: string,
	body?: unknown,
): Promise<T> {
	const response = await call(
		`${session.baseUrl}/rest${path}`,
		{
			method,
			headers: {
				cookie: session.cookie,
				'browser-id': session.browserId,
				'content-type': 'application/json',
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		},
		`/rest${path}`,
	);
	return ((await response.json()) as { data: T }).data;
}

/** GETs a session-protected JSON path outside /rest (e.g. `/types/nodes.json`, `/types/credentials.json`). */
export async function sessionGet<T>(session: OwnerSession, path: string): Promise<T> {
	const response = await call(
		`${session.baseUrl}${path}`,
		{ headers: { cookie: session.cookie, 'browser-id': session.browserId } },
		path,
	);
	return (await response.json()) as T;
}

/** Creates the instance owner, or logs in when the folder already has one (demo restarts). */
export async function ownerSession(
	baseUrl: string,
	owner: OwnerLogin = LOCAL_OWNER,
): Promise<OwnerSession & { createdOwner: boolean }> {
	const browserId = randomUUID();
	const headers = { 'content-type': 'application/json', 'browser-id': browserId };
	try {
		const response = await call(
			`${baseUrl}/rest/owner/setup`,
			{ method: 'POST', headers, body: JSON.stringify(owner) },
			'/rest/owner/setup',
		);
		return { baseUrl, browserId, cookie: authCookie(response), createdOwner: true };
	} catch (error) {
		if (!(error instanceof N8nHttpError) || error.status !== 400) throw error;
	}
	const response = await call(
		`${baseUrl}/rest/login`,
		{
			method: 'POST',
			headers,
			body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
		},
		'/rest/login',
	);
	return { baseUrl, browserId, cookie: authCookie(response), createdOwner: false };
}

/** Owner + a public-API key with every scope the instance offers. */
export async function bootstrapOwner(
	baseUrl: string,
	owner: OwnerLogin = LOCAL_OWNER,
): Promise<Bootstrap> {
	const session = await ownerSession(baseUrl, owner);
	const scopes = await restCall<string[]>(session, 'GET', '/api-keys/scopes');
	const key = await restCall<{ rawApiKey: string }>(session, 'POST', '/api-keys', {
		label: `crm-sync-runtime-${Date.now()}`,
		scopes,
		expiresAt: null,
	});
	return { ...session, apiKey: key.rawApiKey };
}

/** Minimal client for n8n's public API (`/api/v1`, X-N8N-API-KEY). */
export class N8nApi {
	constructor(
		readonly baseUrl: string,
		private readonly apiKey: string,
	) {}

	async request<T>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await call(
			`${this.baseUrl}/api/v1${path}`,
			{
				method,
				headers: {
					'X-N8N-API-KEY': this.apiKey,
					accept: 'application/json',
					'content-type': 'application/json',
				},
				body: body === undefined ? undefined : JSON.stringify(body),
			},
			`/api/v1${path}`,
		);
		const text = await response.text();
		return (text.length === 0 ? undefined : JSON.parse(text)) as T;
	}

	/** Follows `nextCursor` pages of a list endpoint. */
	async list<T>(path: string): Promise<T[]> {
		const all: T[] = [];
		let cursor: string | undefined;
		do {
			const separator = path.includes('?') ? '&' : '?';
			const page = await this.request<{ data: T[]; nextCursor?: string | null }>(
				'GET',
				`${path}${separator}limit=250${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
			);
			all.push(...page.data);
			cursor = page.nextCursor ?? undefined;
		} while (cursor !== undefined);
		return all;
	}
}

/**
 * Resolves once a production webhook is registered for `method`, without running it: it asks
 * with a different method, which n8n refuses with 404 — "The requested webhook … is not
 * registered" before activation completes, "…not registered for DELETE requests. Did you mean
 * to make a POST request?" once it has. (OPTIONS cannot tell: it answers 204 for any path.)
 */
export async function waitForWebhook(
	url: string,
	method = 'POST',
	timeoutMs = 30_000,
): Promise<void> {
	const wanted = method.toUpperCase();
	const probe = wanted === 'DELETE' ? 'PATCH' : 'DELETE';
	await waitFor(
		async () => {
			const response = await fetch(url, { method: probe, signal: AbortSignal.timeout(5000) });
			const text = await response.text();
			const suggested = /Did you mean to make an? ([A-Z ,]+?) request/.exec(text)?.[1] ?? '';
			if (
				!suggested
					.split(/,|\bor\b/)
					.map((part) => part.trim())
					.includes(wanted)
			) {
				throw new Error(`not registered for ${wanted} yet (${response.status})`);
			}
			return true;
		},
		{ timeoutMs, intervalMs: 100, what: `webhook ${wanted} ${url}` },
	);
}
