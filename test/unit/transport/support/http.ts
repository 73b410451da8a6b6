/**
 * A minimal CRM client for the tests: real fetch (intercepted by nock or served by a local
 * server), and the translator a provider would write from its client's errors to HttpFailure.
 */
import type { HttpFailure } from '../../../../nodes/shared/transport/types';

export class HttpStatusError extends Error {
	constructor(
		readonly status: number,
		readonly headers: Record<string, string>,
		readonly body: unknown,
	) {
		super(`HTTP ${status}`);
	}
}

export async function crmFetch(url: string, init: RequestInit = {}): Promise<unknown> {
	const response = await fetch(url, init);
	const text = await response.text();
	let body: unknown = text;
	try {
		body = text ? JSON.parse(text) : undefined;
	} catch {
		// not JSON: keep the text
	}
	if (!response.ok)
		throw new HttpStatusError(
			response.status,
			Object.fromEntries(response.headers.entries()),
			body,
		);
	return body;
}

function bodyMessage(body: unknown): string | undefined {
	if (body && typeof body === 'object' && 'message' in body)
		return String((body as { message: unknown }).message);
	return typeof body === 'string' ? body : undefined;
}

export function toFailure(error: unknown): HttpFailure {
	if (error instanceof HttpStatusError) {
		return {
			status: error.status,
			headers: error.headers,
			body: error.body,
			message: bodyMessage(error.body) ?? error.message,
		};
	}
	const err = error as {
		message?: string;
		code?: string;
		cause?: { code?: string; message?: string };
	};
	const code = err.code ?? err.cause?.code;
	const detail = err.cause?.message
		? `${err.message}: ${err.cause.message}`
		: (err.message ?? 'unknown');
	return { code, message: detail, headers: {} };
}
