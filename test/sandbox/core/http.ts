/** node:http plumbing: read and parse bodies, write JSON answers. */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { headerValue } from './types';

export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export class BodyError extends Error {}

export async function readRawBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		const buffer = chunk as Buffer;
		size += buffer.length;
		if (size > MAX_BODY_BYTES) throw new BodyError('request body too large');
		chunks.push(buffer);
	}
	return Buffer.concat(chunks).toString('utf8');
}

/** JSON → value, form → object of strings, other text → string, empty → undefined. */
export function parseBody(raw: string, contentType: string | undefined): unknown {
	if (raw.length === 0) return undefined;
	const type = (contentType ?? '').toLowerCase();
	if (type.includes('application/x-www-form-urlencoded'))
		return Object.fromEntries(new URLSearchParams(raw));
	const trimmed = raw.trimStart();
	if (type.includes('json') || trimmed.startsWith('{') || trimmed.startsWith('[')) {
		try {
			return JSON.parse(raw) as unknown;
		} catch {
			throw new BodyError('request body is not valid JSON');
		}
	}
	return raw;
}

export function contentTypeOf(req: IncomingMessage): string | undefined {
	return headerValue(req.headers, 'content-type');
}

export function writeJson(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	if (res.headersSent || res.destroyed) return;
	for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
	if (body === undefined) {
		res.writeHead(status);
		res.end();
		return;
	}
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/json;charset=utf-8',
		'Content-Length': Buffer.byteLength(text),
	});
	res.end(text);
}

export function bearerToken(req: IncomingMessage): string | undefined {
	const header = headerValue(req.headers, 'authorization');
	const match = header ? /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(header) : null;
	return match?.[1];
}

/** A non-JSON answer (multipart), written exactly as given. */
export function writeRaw(
	res: ServerResponse,
	status: number,
	body: string,
	headers: Record<string, string> = {},
): void {
	if (res.headersSent || res.destroyed) return;
	for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
	res.writeHead(status, { 'Content-Length': Buffer.byteLength(body) });
	res.end(body);
}
