/**
 * OData `$batch` for the Dataverse Web API: a pure multipart/mixed request builder and
 * response parser. Reads go as plain GET parts; every write goes in its own change set so
 * one failing record rolls back only itself (the batch is sent with
 * `Prefer: odata.continue-on-error`, so later parts still run).
 */

export type BatchMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface BatchOperation {
	method: BatchMethod;
	/** Absolute URL of the operation (the service root + entity path + query). */
	url: string;
	headers?: Record<string, string>;
	/** JSON body for POST/PATCH. */
	body?: unknown;
}

/** One top-level entry of a batch: a read, or a change set of writes (atomic together). */
export type BatchGroup =
	{ kind: 'read'; operation: BatchOperation } | { kind: 'changeset'; operations: BatchOperation[] };

export interface BatchPartResponse {
	status: number;
	headers: Record<string, string>;
	/** Raw body text ('' for 204). */
	body: string;
	contentId?: string;
}

/** Top-level entry of a batch response: one response, or a change set's responses. */
export type BatchResponseEntry =
	| { kind: 'single'; response: BatchPartResponse }
	| { kind: 'changeset'; responses: BatchPartResponse[] };

export interface BuiltBatch {
	/** The `Content-Type` header of the $batch POST (carries the boundary). */
	contentType: string;
	body: string;
}

const CRLF = '\r\n';

/** Boundaries must not occur in the content: a random id per batch/changeset guarantees it. */
export function buildBatchRequest(groups: readonly BatchGroup[], newId: () => string): BuiltBatch {
	const batchBoundary = `batch_${newId()}`;
	const lines: string[] = [];
	let contentId = 0;

	for (const group of groups) {
		lines.push(`--${batchBoundary}`);
		if (group.kind === 'read') {
			lines.push('Content-Type: application/http', 'Content-Transfer-Encoding: binary', '');
			lines.push(...operationLines(group.operation));
			continue;
		}
		const changesetBoundary = `changeset_${newId()}`;
		lines.push(`Content-Type: multipart/mixed; boundary=${changesetBoundary}`, '');
		for (const operation of group.operations) {
			contentId += 1;
			lines.push(`--${changesetBoundary}`);
			lines.push(
				'Content-Type: application/http',
				'Content-Transfer-Encoding: binary',
				`Content-ID: ${contentId}`,
				'',
			);
			lines.push(...operationLines(operation));
		}
		lines.push(`--${changesetBoundary}--`);
	}
	lines.push(`--${batchBoundary}--`, '');
	return { contentType: `multipart/mixed; boundary=${batchBoundary}`, body: lines.join(CRLF) };
}

function operationLines(operation: BatchOperation): string[] {
	const lines = [`${operation.method} ${operation.url} HTTP/1.1`];
	const headers: Record<string, string> = { ...(operation.headers ?? {}) };
	const hasBody = operation.body !== undefined;
	if (hasBody) headers['Content-Type'] = 'application/json; type=entry';
	else if (operation.method === 'GET') headers.Accept ??= 'application/json';
	for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
	lines.push('');
	// A part always ends with an empty line before the next boundary.
	lines.push(hasBody ? JSON.stringify(operation.body) : '');
	return lines;
}

/** Extracts the boundary parameter of a multipart Content-Type header. */
export function boundaryOf(contentType: string): string | undefined {
	const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	return match ? (match[1] ?? match[2]) : undefined;
}

/**
 * Parses a $batch response body. Accepts CRLF or bare LF line endings. A successful change
 * set comes back as a nested multipart; a failed one as a single application/http part.
 */
export function parseBatchResponse(contentType: string, body: string): BatchResponseEntry[] {
	const boundary = boundaryOf(contentType);
	if (!boundary) throw new Error('The $batch response has no multipart boundary');
	return splitMultipart(body, boundary).map((part): BatchResponseEntry => {
		const { headers, content } = splitHeaders(part);
		const nested = headers['content-type'] ? boundaryOf(headers['content-type']) : undefined;
		if (nested && /multipart\/mixed/i.test(headers['content-type'] ?? '')) {
			return {
				kind: 'changeset',
				responses: splitMultipart(content, nested).map((inner) => parseHttpPart(inner)),
			};
		}
		return { kind: 'single', response: parseHttpPart(part) };
	});
}

/** Parts between `--boundary` lines, up to the closing `--boundary--`; preamble/epilogue dropped. */
function splitMultipart(body: string, boundary: string): string[] {
	const open = `--${boundary}`;
	const close = `--${boundary}--`;
	const parts: string[] = [];
	let current: string[] | undefined;
	for (const rawLine of body.split(/\r?\n/)) {
		const line = rawLine.trimEnd();
		if (line === close) {
			if (current) parts.push(current.join('\n'));
			current = undefined;
			break;
		}
		if (line === open) {
			if (current) parts.push(current.join('\n'));
			current = [];
			continue;
		}
		current?.push(rawLine);
	}
	if (current) parts.push(current.join('\n'));
	return parts;
}

function splitHeaders(text: string): { headers: Record<string, string>; content: string } {
	const lines = text.split('\n');
	const headers: Record<string, string> = {};
	let index = 0;
	for (; index < lines.length; index++) {
		const line = lines[index];
		if (line.trim() === '') {
			index++;
			break;
		}
		const colon = line.indexOf(':');
		if (colon > 0)
			headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
	}
	return { headers, content: lines.slice(index).join('\n') };
}

/** An application/http part: MIME headers, blank line, status line, HTTP headers, blank line, body. */
function parseHttpPart(part: string): BatchPartResponse {
	const outer = splitHeaders(part);
	const inner = outer.content.replace(/^\n+/, '');
	const newline = inner.indexOf('\n');
	const statusLine = newline === -1 ? inner : inner.slice(0, newline);
	const statusMatch = /^HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(statusLine.trim());
	if (!statusMatch)
		throw new Error(`Unexpected part in the $batch response: ${statusLine.slice(0, 80)}`);
	const rest = newline === -1 ? '' : inner.slice(newline + 1);
	const { headers, content } = splitHeaders(rest);
	const result: BatchPartResponse = {
		status: Number(statusMatch[1]),
		headers,
		body: content.trim(),
	};
	if (outer.headers['content-id'] !== undefined) result.contentId = outer.headers['content-id'];
	return result;
}

/**
 * Aligns response entries with the groups that were sent: one list of responses per group,
 * one response per operation. A failed change set answers with one error part — it applies
 * to every operation of that change set. Missing entries (batch cut short) stay undefined.
 */
export function alignBatchResponses(
	groups: readonly BatchGroup[],
	entries: readonly BatchResponseEntry[],
): Array<Array<BatchPartResponse | undefined>> {
	return groups.map((group, index) => {
		const size = group.kind === 'read' ? 1 : group.operations.length;
		const entry = entries[index];
		if (!entry) return new Array<BatchPartResponse | undefined>(size).fill(undefined);
		if (entry.kind === 'single') return new Array<BatchPartResponse>(size).fill(entry.response);
		return Array.from({ length: size }, (_, i) => entry.responses[i]);
	});
}
