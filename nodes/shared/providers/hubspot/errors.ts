/**
 * Translates whatever the HubSpot SDK throws into the transport's neutral HttpFailure.
 * The SDK throws an ApiException (`code` = HTTP status, `body`, `headers`) for every
 * non-2xx response; fetch throws a TypeError whose `cause` carries the socket error code.
 * Only HubSpot's own message is kept: the SDK's exception message embeds the whole body
 * and headers, and the request (with its Authorization header) is never looked at.
 */
import type { HttpFailure } from '../../transport/types';
import type { BatchError } from './client';

interface ApiExceptionLike {
	code: number;
	body?: unknown;
	headers?: Record<string, string>;
}

function isApiException(error: unknown): error is ApiExceptionLike {
	return (
		typeof error === 'object' &&
		error !== null &&
		typeof (error as { code?: unknown }).code === 'number' &&
		'body' in error &&
		'headers' in error
	);
}

function lowerCaseKeys(headers: Record<string, string> | undefined): Record<string, string> {
	const result: Record<string, string> = {};
	for (const [key, value] of Object.entries(headers ?? {}))
		result[key.toLowerCase()] = String(value);
	return result;
}

/** HubSpot error bodies: `{ status, message, category, errors: [{ message }], policyName? }`. */
function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

function messageFromBody(body: unknown, status: number): string {
	if (typeof body === 'object' && body !== null) {
		const { message, errors } = body as {
			message?: unknown;
			errors?: Array<{ message?: unknown }>;
		};
		const details = (errors ?? [])
			.map((detail) => (typeof detail.message === 'string' ? detail.message : ''))
			.filter((text) => text && text !== message);
		if (typeof message === 'string' && message)
			return details.length ? `${message} (${details.join('; ')})` : message;
	}
	if (typeof body === 'string' && body.trim() && body.length < 500) return body.trim();
	return `HubSpot responded with HTTP ${status}`;
}

function codeFromBody(body: unknown): string | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const { category, policyName } = body as { category?: unknown; policyName?: unknown };
	if (typeof policyName === 'string') return policyName;
	return typeof category === 'string' ? category : undefined;
}

/** Network-level failure: fetch wraps the socket error in `cause`. */
function networkCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string') return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/** HubSpot's daily API quota answers 429 with `policyName: "DAILY"`; its 10-second limit with another policy. */
export function isHubSpotDailyLimit(body: unknown): boolean {
	const parsed = parseBody(body);
	if (parsed && typeof parsed === 'object' && 'policyName' in parsed) {
		return String((parsed as { policyName: unknown }).policyName).toUpperCase() === 'DAILY';
	}
	if (typeof parsed === 'string') return /"policyName"\s*:\s*"DAILY"/i.test(parsed);
	return false;
}

export function hubSpotToFailure(error: unknown): HttpFailure {
	if (isApiException(error)) {
		const body = parseBody(error.body);
		const failure: HttpFailure = {
			status: error.code,
			code: codeFromBody(body),
			message: messageFromBody(body, error.code),
			headers: lowerCaseKeys(error.headers),
			body,
		};
		if (error.code === 429 && isHubSpotDailyLimit(body)) failure.dailyLimit = true;
		return failure;
	}
	const code = networkCode(error);
	const message = error instanceof Error ? error.message : 'HubSpot request failed';
	return {
		code,
		message: code && !message.includes(code) ? `${message} (${code})` : message,
		headers: {},
	};
}

/** A per-input error of a 207 response, with HubSpot's message and its detail lines. */
export function batchErrorMessage(error: BatchError): string {
	const details = (error.errors ?? [])
		.map((detail) => detail.message)
		.filter((text) => text && text !== error.message);
	return details.length ? `${error.message} (${details.join('; ')})` : error.message;
}
