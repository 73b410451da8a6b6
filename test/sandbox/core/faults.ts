/**
 * Fault injection: the next `count` requests matching vendor (+ path pattern + method)
 * get the fault instead of (or before) the normal answer.
 */
import type { VendorName } from './types';

/**
 * - status: answer with an error status instead of handling the request (nothing stored);
 * - reset: drop the connection instead of handling it (nothing stored);
 * - slow: hold the request for delayMs, then handle and answer it (a client that gave up
 *   meanwhile still gets the record stored: "hold, then store");
 * - dropAnswer: handle the request (the record IS stored), then drop the connection — or, with
 *   `status`, answer that error status — so the client never learns it succeeded;
 * - expireTokens: expire every access token of the vendor, then handle the request.
 */
export type FaultKind = 'status' | 'reset' | 'slow' | 'dropAnswer' | 'expireTokens';

export interface FaultSpec {
	vendor: VendorName;
	/** Substring of the full request path, or `/regex/flags`. */
	pathPattern?: string;
	method?: string;
	kind: FaultKind;
	status?: 429 | 500 | 502 | 503 | 504;
	retryAfterSeconds?: number;
	delayMs?: number;
	count: number;
}

interface ArmedFault {
	spec: FaultSpec;
	remaining: number;
	matches: (path: string) => boolean;
}

const FAULT_KINDS: readonly FaultKind[] = ['status', 'reset', 'slow', 'dropAnswer', 'expireTokens'];
const FAULT_STATUSES = [429, 500, 502, 503, 504] as const;

function pathMatcher(pattern: string | undefined): (path: string) => boolean {
	if (!pattern) return () => true;
	const regex = /^\/(.+)\/([a-z]*)$/.exec(pattern);
	if (regex) {
		const compiled = new RegExp(regex[1], regex[2]);
		return (path) => compiled.test(path);
	}
	return (path) => path.includes(pattern);
}

/** Validates an untrusted fault body; returns an error message or the spec. */
export function parseFaultSpec(input: unknown, vendors: readonly VendorName[]): FaultSpec | string {
	if (typeof input !== 'object' || input === null) return 'body must be a JSON object';
	const raw = input as Record<string, unknown>;
	if (!vendors.includes(raw.vendor as VendorName))
		return `vendor must be one of ${vendors.join(', ')}`;
	if (!FAULT_KINDS.includes(raw.kind as FaultKind))
		return `kind must be one of ${FAULT_KINDS.join(', ')}`;
	const count = raw.count === undefined ? 1 : raw.count;
	if (typeof count !== 'number' || !Number.isInteger(count) || count < 1)
		return 'count must be a positive integer';
	if (
		raw.kind === 'status' &&
		!FAULT_STATUSES.includes(raw.status as (typeof FAULT_STATUSES)[number])
	)
		return `status must be one of ${FAULT_STATUSES.join(', ')}`;
	if (
		raw.kind === 'dropAnswer' &&
		raw.status !== undefined &&
		!FAULT_STATUSES.includes(raw.status as (typeof FAULT_STATUSES)[number])
	)
		return `status must be one of ${FAULT_STATUSES.join(', ')} (or absent: the connection is dropped)`;
	if (raw.kind === 'slow' && (typeof raw.delayMs !== 'number' || raw.delayMs < 0))
		return 'delayMs must be a number ≥ 0';
	if (raw.pathPattern !== undefined && typeof raw.pathPattern !== 'string')
		return 'pathPattern must be a string';
	if (raw.method !== undefined && typeof raw.method !== 'string') return 'method must be a string';
	if (raw.retryAfterSeconds !== undefined && typeof raw.retryAfterSeconds !== 'number')
		return 'retryAfterSeconds must be a number';
	try {
		pathMatcher(raw.pathPattern as string | undefined);
	} catch {
		return 'pathPattern is not a valid regular expression';
	}
	return {
		vendor: raw.vendor as VendorName,
		kind: raw.kind as FaultKind,
		count,
		pathPattern: raw.pathPattern as string | undefined,
		method: raw.method as string | undefined,
		status: raw.status as FaultSpec['status'],
		retryAfterSeconds: raw.retryAfterSeconds as number | undefined,
		delayMs: raw.delayMs as number | undefined,
	};
}

export class FaultRegistry {
	private armed: ArmedFault[] = [];

	add(spec: FaultSpec): void {
		this.armed.push({ spec, remaining: spec.count, matches: pathMatcher(spec.pathPattern) });
	}

	/** Consumes and returns the first armed fault matching this request, if any. */
	take(vendor: VendorName, method: string, path: string): FaultSpec | undefined {
		const fault = this.armed.find(
			(f) =>
				f.remaining > 0 &&
				f.spec.vendor === vendor &&
				(!f.spec.method || f.spec.method.toUpperCase() === method.toUpperCase()) &&
				f.matches(path),
		);
		if (!fault) return undefined;
		fault.remaining -= 1;
		if (fault.remaining === 0) this.armed = this.armed.filter((f) => f !== fault);
		return fault.spec;
	}

	/** Faults still armed, with how many hits each has left. */
	pending(): Array<FaultSpec & { remaining: number }> {
		return this.armed.map((f) => ({ ...f.spec, remaining: f.remaining }));
	}

	clear(): void {
		this.armed = [];
	}
}
