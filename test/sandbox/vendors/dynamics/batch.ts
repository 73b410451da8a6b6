/**
 * OData `$batch` (multipart/mixed) as Dataverse documents it: top-level parts are single
 * requests or change sets (nested multipart, `Content-ID` per operation). The answer has one
 * part per request; a successful change set answers as a nested multipart, a failed one as
 * a single part with the failing operation's error (the change set is rolled back).
 * Without `Prefer: odata.continue-on-error` processing stops at the first failure.
 */
import { randomUUID } from 'node:crypto';

import type { SandboxResponse } from '../../core/types';
import { badRequest } from './errors';

export interface BatchPart {
	method: string;
	url: string;
	headers: Record<string, string>;
	body?: string;
	contentId?: string;
}

export type BatchEntry =
	{ kind: 'single'; part: BatchPart } | { kind: 'changeset'; parts: BatchPart[] };

export const MAX_BATCH_OPERATIONS = 1000;

export function boundaryOf(contentType: string | undefined): string | undefined {
	const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
	return match ? (match[1] ?? match[2]) : undefined;
}

/** The parts between `--boundary` delimiters up to `--boundary--`. */
function splitParts(body: string, boundary: string): string[][] {
	const parts: string[][] = [];
	let current: string[] | undefined;
	for (const line of body.split(/\r?\n/)) {
		const trimmed = line.trimEnd();
		if (trimmed === `--${boundary}--`) {
			if (current) parts.push(current);
			return parts;
		}
		if (trimmed === `--${boundary}`) {
			if (current) parts.push(current);
			current = [];
			continue;
		}
		current?.push(line);
	}
	throw badRequest('The $batch request is missing its closing boundary.');
}

function headerBlock(
	lines: string[],
	start: number,
): { headers: Record<string, string>; next: number } {
	const headers: Record<string, string> = {};
	let i = start;
	for (; i < lines.length && lines[i].trim() !== ''; i++) {
		const colon = lines[i].indexOf(':');
		if (colon > 0)
			headers[lines[i].slice(0, colon).trim().toLowerCase()] = lines[i].slice(colon + 1).trim();
	}
	return { headers, next: i + 1 };
}

function parseHttpPart(lines: string[]): BatchPart {
	const mime = headerBlock(lines, 0);
	if (!/application\/http/i.test(mime.headers['content-type'] ?? ''))
		throw badRequest('Each $batch part must be application/http or a multipart change set.');
	const requestLine = lines[mime.next]?.trim() ?? '';
	const match = /^(GET|POST|PATCH|PUT|DELETE)\s+(\S+)\s+HTTP\/1\.1$/.exec(requestLine);
	if (!match)
		throw badRequest(`The $batch part has an invalid request line: '${requestLine.slice(0, 80)}'`);
	const http = headerBlock(lines, mime.next + 1);
	const body = lines.slice(http.next).join('\n').trim();
	const part: BatchPart = { method: match[1], url: match[2], headers: http.headers };
	if (body !== '') part.body = body;
	if (mime.headers['content-id'] !== undefined) part.contentId = mime.headers['content-id'];
	return part;
}

export function parseBatchRequest(contentType: string | undefined, body: unknown): BatchEntry[] {
	const boundary = boundaryOf(contentType);
	if (!boundary || !/multipart\/mixed/i.test(contentType ?? ''))
		throw badRequest('A $batch request must be multipart/mixed with a boundary.');
	if (typeof body !== 'string') throw badRequest('The $batch request body is empty.');
	const entries = splitParts(body, boundary).map((lines): BatchEntry => {
		const { headers, next } = headerBlock(lines, 0);
		const nested = boundaryOf(headers['content-type']);
		if (nested && /multipart\/mixed/i.test(headers['content-type'] ?? '')) {
			const parts = splitParts(lines.slice(next).join('\n'), nested).map(parseHttpPart);
			if (parts.some((part) => part.method === 'GET'))
				throw badRequest('A change set cannot contain GET requests.');
			return { kind: 'changeset', parts };
		}
		return { kind: 'single', part: parseHttpPart(lines) };
	});
	const operations = entries.reduce(
		(sum, entry) => sum + (entry.kind === 'single' ? 1 : entry.parts.length),
		0,
	);
	if (operations > MAX_BATCH_OPERATIONS)
		throw badRequest(
			`The number of requests in the batch is ${operations}; the limit is ${MAX_BATCH_OPERATIONS}.`,
		);
	return entries;
}

const REASONS: Record<number, string> = {
	200: 'OK',
	201: 'Created',
	204: 'No Content',
	400: 'Bad Request',
	401: 'Unauthorized',
	404: 'Not Found',
	405: 'Method Not Allowed',
	412: 'Precondition Failed',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
};

/** One application/http response part (MIME headers, status line, headers, body). */
function responsePart(response: SandboxResponse, contentId?: string): string[] {
	const lines = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
	if (contentId !== undefined) lines.push(`Content-ID: ${contentId}`);
	lines.push('', `HTTP/1.1 ${response.status} ${REASONS[response.status] ?? 'Unknown'}`);
	const headers: Record<string, string> = { ...(response.headers ?? {}) };
	if (response.body !== undefined)
		headers['Content-Type'] = 'application/json; odata.metadata=minimal';
	headers['OData-Version'] = '4.0';
	for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
	lines.push('');
	lines.push(response.body === undefined ? '' : JSON.stringify(response.body));
	return lines;
}

export type BatchAnswer =
	| { kind: 'single'; response: SandboxResponse; contentId?: string }
	| { kind: 'changeset'; responses: Array<{ response: SandboxResponse; contentId?: string }> };

export function buildBatchResponse(answers: BatchAnswer[]): { contentType: string; body: string } {
	const boundary = `batchresponse_${randomUUID()}`;
	const lines: string[] = [];
	for (const answer of answers) {
		lines.push(`--${boundary}`);
		if (answer.kind === 'single') {
			lines.push(...responsePart(answer.response, answer.contentId));
			continue;
		}
		const changeset = `changesetresponse_${randomUUID()}`;
		lines.push(`Content-Type: multipart/mixed; boundary=${changeset}`, '');
		for (const { response, contentId } of answer.responses)
			lines.push(`--${changeset}`, ...responsePart(response, contentId));
		lines.push(`--${changeset}--`);
	}
	lines.push(`--${boundary}--`, '');
	return { contentType: `multipart/mixed; boundary=${boundary}`, body: lines.join('\r\n') };
}
