/**
 * Reads the usage each CRM reports in its response headers into one neutral shape.
 * When a CRM reports several windows we keep the one that bounds a whole run
 * (HubSpot daily over its 10-second window, which our own limiter already respects).
 */
import type { CrmName } from '../model';
import type { ApiUsage } from './types';
import { headerNumber, headerValue, type HeaderBag } from './headers';

type Reported = NonNullable<ApiUsage['reported']>;

/** A count a header may carry: a whole number ≥ 0; anything else (negative, fractional, huge) is no report. */
function count(value: number | undefined): number | undefined {
	return value !== undefined && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function fromLimitRemaining(
	rawLimit: number | undefined,
	rawRemaining: number | undefined,
	window: string,
): Reported | undefined {
	const limit = count(rawLimit);
	const remaining = count(rawRemaining);
	if (limit === undefined && remaining === undefined) return undefined;
	const reported: Reported = { window };
	if (limit !== undefined) reported.limit = limit;
	if (remaining !== undefined) reported.remaining = remaining;
	if (limit !== undefined && remaining !== undefined)
		reported.used = Math.max(0, limit - remaining);
	return reported;
}

function windowName(intervalMs: number | undefined): string {
	if (intervalMs === undefined) return 'interval';
	if (intervalMs % 1000 === 0) return `${intervalMs / 1000}s`;
	return `${intervalMs}ms`;
}

function hubspot(headers: HeaderBag): Reported | undefined {
	const daily = fromLimitRemaining(
		headerNumber(headers, 'x-hubspot-ratelimit-daily'),
		headerNumber(headers, 'x-hubspot-ratelimit-daily-remaining'),
		'daily',
	);
	if (daily) return daily;
	return fromLimitRemaining(
		headerNumber(headers, 'x-hubspot-ratelimit-max'),
		headerNumber(headers, 'x-hubspot-ratelimit-remaining'),
		windowName(headerNumber(headers, 'x-hubspot-ratelimit-interval-milliseconds')),
	);
}

/** `Sforce-Limit-Info: api-usage=18/15000; per-app-api-usage=17/250(appName=x)` — the org-wide rolling 24 hours. */
function salesforce(headers: HeaderBag): Reported | undefined {
	const info = headerValue(headers, 'sforce-limit-info');
	const match = info ? /(?:^|[\s;,])api-usage=(\d+)\/(\d+)/i.exec(info) : null;
	if (!match) return undefined;
	const used = count(Number(match[1]));
	const limit = count(Number(match[2]));
	if (used === undefined || limit === undefined) return undefined;
	return { used, limit, remaining: Math.max(0, limit - used), window: 'daily' };
}

function autochat(headers: HeaderBag): Reported | undefined {
	return fromLimitRemaining(
		headerNumber(headers, 'x-ratelimit-limit'),
		headerNumber(headers, 'x-ratelimit-remaining'),
		'minute',
	);
}

/** Dataverse reports only what is left of the 5-minute window (requests, else execution time). */
function dynamics(headers: HeaderBag): Reported | undefined {
	const requests = count(headerNumber(headers, 'x-ms-ratelimit-burst-remaining-xrm-requests'));
	if (requests !== undefined) return { remaining: requests, window: '5min' };
	// Execution time left, in milliseconds with a fraction.
	const time = headerNumber(headers, 'x-ms-ratelimit-time-remaining-xrm-requests');
	if (time !== undefined && time >= 0) return { remaining: time, window: '5min execution time' };
	return undefined;
}

const PARSERS: Record<CrmName, (headers: HeaderBag) => Reported | undefined> = {
	hubspot,
	salesforce,
	autochat,
	dynamics,
};

export function parseUsageHeaders(
	crm: CrmName,
	headers: HeaderBag,
): ApiUsage['reported'] | undefined {
	return PARSERS[crm](headers);
}
