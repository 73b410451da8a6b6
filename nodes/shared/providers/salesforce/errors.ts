/**
 * Salesforce failures in the transport's neutral shape. jsforce's own errors carry the
 * CRM's errorCode and message but neither the HTTP status nor the headers (Retry-After),
 * so connection.ts observes the raw response and throws a SalesforceHttpError instead.
 */
import type { HttpFailure } from '../../transport/types';

export class SalesforceHttpError extends Error {
	constructor(
		message: string,
		readonly status: number | undefined,
		readonly errorCode: string | undefined,
		readonly headers: Record<string, string>,
		readonly body?: unknown,
	) {
		super(message);
		this.name = 'SalesforceHttpError';
	}
}

interface WithCode {
	code?: unknown;
	cause?: unknown;
}

/** undici wraps socket errors as TypeError('fetch failed') with the errno code one or two causes deep. */
function networkCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
		const { code, cause } = current as WithCode;
		if (typeof code === 'string' && code) return code;
		current = cause;
	}
	return undefined;
}

/** The transport's `toFailure` for Salesforce. */
export function toSalesforceFailure(error: unknown): HttpFailure {
	if (error instanceof SalesforceHttpError) {
		return {
			status: error.status,
			code: error.errorCode,
			message: error.message,
			headers: error.headers,
			body: error.body,
		};
	}
	const message = error instanceof Error ? error.message : String(error);
	return { code: networkCode(error), message, headers: {} };
}

/** Salesforce error bodies are `[{ message, errorCode, fields? }]`; jsforce may hand us one entry or the array. */
export function describeErrorBody(body: unknown): { message?: string; errorCode?: string } {
	const first = Array.isArray(body) ? (body[0] as unknown) : body;
	if (!first || typeof first !== 'object') return {};
	const { message, errorCode } = first as { message?: unknown; errorCode?: unknown };
	return {
		message: typeof message === 'string' ? message : undefined,
		errorCode: typeof errorCode === 'string' ? errorCode : undefined,
	};
}
