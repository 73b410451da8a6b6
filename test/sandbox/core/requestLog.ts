/** What the sandbox received: a request log and call counters for tests and benchmarks. */
import type { VendorName } from './types';

export interface LoggedRequest {
	vendor: VendorName;
	method: string;
	/** Full path including the vendor prefix. */
	path: string;
	/** The matched route template ("POST /crm/v3/objects/:objectType/search"), when one matched. */
	route?: string;
	query: Record<string, string>;
	/** Parsed JSON, parsed form (secrets redacted) or text. */
	body: unknown;
	/** HTTP status answered; 0 when the connection was reset by a fault. */
	status: number;
	fault?: string;
	/** ISO timestamp of arrival. */
	at: string;
}

export interface Counters {
	total: number;
	vendors: Partial<Record<VendorName, { total: number; routes: Record<string, number> }>>;
}

/** Form/JSON fields whose values must never be kept (client secrets, codes, tokens). */
const SECRET_FIELDS = new Set([
	'client_secret',
	'refresh_token',
	'code',
	'code_verifier',
	'client_assertion',
	'password',
	'access_token',
	'assertion',
	'hapikey',
	'api_key',
]);

/** Query parameters with the same secret names are redacted too. */
export function redactQuery(query: URLSearchParams): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of query) out[key] = SECRET_FIELDS.has(key) ? '[redacted]' : value;
	return out;
}

export function redactSecrets(body: unknown): unknown {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
	const copy: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(body))
		copy[key] = SECRET_FIELDS.has(key) ? '[redacted]' : value;
	return copy;
}

export class RequestLog {
	private entries: LoggedRequest[] = [];

	record(entry: LoggedRequest): void {
		this.entries.push(entry);
	}

	list(vendor?: VendorName): LoggedRequest[] {
		return vendor ? this.entries.filter((e) => e.vendor === vendor) : [...this.entries];
	}

	counters(): Counters {
		const counters: Counters = { total: this.entries.length, vendors: {} };
		for (const entry of this.entries) {
			const vendor = (counters.vendors[entry.vendor] ??= { total: 0, routes: {} });
			vendor.total += 1;
			const key = `${entry.method} ${entry.route ?? entry.path}`;
			vendor.routes[key] = (vendor.routes[key] ?? 0) + 1;
		}
		return counters;
	}

	clear(): void {
		this.entries = [];
	}
}
