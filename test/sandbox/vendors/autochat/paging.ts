/** The list shape of the autoch.at sandbox: `{ data, pagination: { limit, has_more, next_cursor } }` with opaque cursors. */
import type { SandboxResponse } from '../../core/types';

export const MAX_PAGE = 100;
const DEFAULT_PAGE = 50;

function encodeCursor(offset: number): string {
	return Buffer.from(`o:${offset}`).toString('base64url');
}

function decodeCursor(cursor: string): number | undefined {
	const match = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
	return match ? Number(match[1]) : undefined;
}

export function pageOf<T>(
	items: T[],
	query: URLSearchParams,
	toJson: (item: T) => unknown,
): SandboxResponse {
	const limit = query.has('limit') ? Number(query.get('limit')) : DEFAULT_PAGE;
	if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE)
		return {
			status: 400,
			body: {
				error: { message: `limit must be between 1 and ${MAX_PAGE}`, code: 'invalid_request' },
			},
		};
	const cursor = query.get('cursor');
	const offset = cursor ? decodeCursor(cursor) : 0;
	if (offset === undefined)
		return {
			status: 400,
			body: { error: { message: 'cursor is invalid', code: 'invalid_request' } },
		};
	const page = items.slice(offset, offset + limit);
	const hasMore = offset + limit < items.length;
	return {
		status: 200,
		body: {
			data: page.map(toJson),
			pagination: {
				limit,
				has_more: hasMore,
				next_cursor: hasMore ? encodeCursor(offset + limit) : null,
			},
		},
	};
}
