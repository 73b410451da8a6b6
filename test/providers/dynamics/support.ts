/**
 * Test support for the Dynamics provider: a provider wired to global fetch (nock intercepts
 * it), an injected sleep that records every wait, a token source that counts refreshes,
 * and a hand-written Dataverse $batch response builder (independent of the parser).
 */
import nock from 'nock';

import {
	createDynamicsProvider,
	type DynamicsProviderOptions,
} from '../../../nodes/shared/providers/dynamics/DynamicsProvider';
import type { CrmProvider } from '../../../nodes/shared/providers/CrmProvider';

export const ORG = 'https://contoso.crm.dynamics.com';
export const API = '/api/data/v9.2';
export const ROOT = `${ORG}${API}/`;
export const BATCH_PATH = `${API}/$batch`;

export const OLD_TOKEN = 'eyJold-access-token-value-123';
export const NEW_TOKEN = 'eyJnew-access-token-value-456';

export interface Harness {
	provider: CrmProvider;
	/** Every wait the transport (or its rate limiter) asked for, in ms. */
	sleeps: number[];
	refreshes: () => number;
	/** Moves the fake clock forward (metadata TTL, rate windows). */
	advance: (ms: number) => void;
}

let providerCount = 0;

export function makeProvider(overrides: Partial<DynamicsProviderOptions> = {}): Harness {
	const sleeps: number[] = [];
	let refreshCount = 0;
	let token = OLD_TOKEN;
	let ids = 0;
	// A fake clock: sleeping advances it, so waits are instant yet the limiter sees time pass.
	let clock = Date.parse('2026-11-21T12:00:00Z');
	providerCount += 1;
	const provider = createDynamicsProvider({
		orgUrl: ORG,
		// A fresh limiter per test: limiters are shared per key within the process.
		limiterKey: `dynamics-test-${providerCount}`,
		tokens: {
			getAccessToken: async () => token,
			refresh: async () => {
				refreshCount += 1;
				token = NEW_TOKEN;
				return token;
			},
		},
		newId: () => `id${++ids}`,
		...overrides,
		transport: {
			sleep: async (ms: number) => {
				sleeps.push(ms);
				clock += ms;
			},
			now: () => clock,
			random: () => 1,
			...overrides.transport,
		},
	});
	return {
		provider,
		sleeps,
		refreshes: () => refreshCount,
		advance: (ms: number) => {
			clock += ms;
		},
	};
}

/** The shared nock isolation (only 127.0.0.1, no leftover interceptors), under this folder's name. */
export { isolateNetwork as setupNock } from '../../support/isolateNetwork';

/** One application/http part as Dataverse writes it. */
export function httpPart(
	status: number,
	reason: string,
	headers: Record<string, string> = {},
	body = '',
	contentId?: string,
): string {
	const mime = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
	if (contentId) mime.push(`Content-ID: ${contentId}`);
	const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
	return [...mime, '', `HTTP/1.1 ${status} ${reason}`, ...head, '', body].join('\r\n');
}

export function jsonPart(status: number, body: unknown): string {
	const reason = status === 200 ? 'OK' : status === 404 ? 'Not Found' : 'Bad Request';
	return httpPart(
		status,
		reason,
		{ 'Content-Type': 'application/json; odata.metadata=minimal' },
		JSON.stringify(body),
	);
}

export function errorPart(status: number, code: string, message: string): string {
	return jsonPart(status, { error: { code, message } });
}

/** A successful change set response (nested multipart). */
export function changesetPart(boundary: string, parts: string[]): string {
	return [
		`Content-Type: multipart/mixed; boundary=${boundary}`,
		'',
		...parts.flatMap((part) => [`--${boundary}`, part]),
		`--${boundary}--`,
	].join('\r\n');
}

export function createdPart(entitySet: string, id: string, contentId: string): string {
	return httpPart(
		204,
		'No Content',
		{ 'OData-Version': '4.0', 'OData-EntityId': `${ROOT}${entitySet}(${id})` },
		'',
		contentId,
	);
}

export const RESPONSE_BOUNDARY = 'batchresponse_test';

export function batchResponse(parts: string[]): [number, string, Record<string, string>] {
	const body = [
		...parts.flatMap((part) => [`--${RESPONSE_BOUNDARY}`, part]),
		`--${RESPONSE_BOUNDARY}--`,
		'',
	].join('\r\n');
	return [200, body, { 'Content-Type': `multipart/mixed; boundary=${RESPONSE_BOUNDARY}` }];
}

export interface SentPart {
	method: string;
	url: string;
	headers: Record<string, string>;
	body?: unknown;
}

/** Reads the operations out of a sent $batch body (test-side, line based, independent of the builder). */
export function sentParts(body: string): SentPart[] {
	const parts: SentPart[] = [];
	const lines = body.split('\r\n');
	for (let i = 0; i < lines.length; i++) {
		const request = /^(GET|POST|PATCH|DELETE) (\S+) HTTP\/1\.1$/.exec(lines[i]);
		if (!request) continue;
		const headers: Record<string, string> = {};
		let j = i + 1;
		for (; j < lines.length && lines[j] !== ''; j++) {
			const colon = lines[j].indexOf(':');
			headers[lines[j].slice(0, colon)] = lines[j].slice(colon + 1).trim();
		}
		const bodyLine = lines[j + 1];
		const part: SentPart = { method: request[1], url: request[2], headers };
		if (bodyLine && bodyLine.startsWith('{')) part.body = JSON.parse(bodyLine);
		parts.push(part);
	}
	return parts;
}

/** The decoded $filter of a part URL. */
export function filterOf(url: string): string | undefined {
	const raw = /[?&]\$filter=([^&]*)/.exec(url)?.[1];
	return raw === undefined ? undefined : decodeURIComponent(raw);
}

/** Intercepts one $batch POST, records its body and headers, answers with `reply`. */
export function interceptBatch(reply: [number, string, Record<string, string>]): {
	bodies: string[];
	headers: Array<Record<string, string>>;
} {
	const bodies: string[] = [];
	const headers: Array<Record<string, string>> = [];
	nock(ORG)
		.post(BATCH_PATH, (body: unknown) => {
			bodies.push(typeof body === 'string' ? body : JSON.stringify(body));
			return true;
		})
		.reply(function (this: { req: { headers: Record<string, string> } }) {
			headers.push({ ...this.req.headers });
			return reply;
		});
	return { bodies, headers };
}
