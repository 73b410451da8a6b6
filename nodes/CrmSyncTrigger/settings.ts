/** Reads and checks the trigger's parameters once per poll, so the poll logic gets plain values. */
import { DateTime } from 'luxon';
import { NodeOperationError, type IPollFunctions } from 'n8n-workflow';

import { parseDefaultCountry } from '../shared/descriptions/defaultCountry';
import type { CountryCode } from '../shared/logic/phone';
import type { CrmName } from '../shared/model';
import { profileOf } from '../shared/providers/profiles';
import { readAttributeSettings, type AttributeSettings } from './attributes';

/** Members of a list/segment instead of changed records. */
export interface SegmentSettings {
	segmentId: string;
	/** `now`: the first scan only records the members; `everything`: it emits them as added. */
	firstPoll: 'now' | 'everything';
}

export interface SyncTriggerSettings {
	objectType: string;
	/** Set when the trigger watches a list's membership. */
	segment?: SegmentSettings;
	/** Changed records are kept only while members of this list/segment (all changes otherwise). */
	inclusionSegmentId?: string;
	extraFields: string[];
	/** Ready mappings and typed attribute mappings. */
	attributes: AttributeSettings;
	filter?: string;
	/** Where the very first poll starts. */
	firstPollStart: Date;
	/** The first poll starts at the beginning: every record, over as many polls as it takes. */
	fullImport: boolean;
	/** Changing it makes the next poll start over from the first-poll bound. */
	startOverKey: string;
	defaultCountry?: CountryCode;
	doNotCallField?: string;
	pageSize: number;
	maxRecords: number;
	sampleSize: number;
	/** Changes younger than this wait for the next poll (search indexes and commits lag behind). */
	settleSeconds: number;
}

interface TriggerOptions {
	doNotCallField?: string;
	pageSize?: number;
	maxRecords?: number;
	sampleSize?: number;
	settleSeconds?: number;
	startOverKey?: string;
}

export const DEFAULT_SETTLE_SECONDS = 30;

const HOUR_MS = 3_600_000;

function firstPollStart(ctx: IPollFunctions, now: number): Date {
	const firstPoll = ctx.getNodeParameter('firstPoll', 'hoursBack');
	if (firstPoll === 'everything') return new Date(0);
	if (firstPoll === 'startDate') {
		const raw = String(ctx.getNodeParameter('startDate', '') ?? '');
		// The editor's date picker gives local time without an offset: read it in the workflow's timezone.
		const parsed = DateTime.fromISO(raw, { zone: ctx.getTimezone() });
		const start = parsed.isValid ? parsed.toMillis() : Number.NaN;
		if (!raw || Number.isNaN(start)) {
			throw new NodeOperationError(
				ctx.getNode(),
				'Parameter "Start Date" needs a date and time when the first poll starts at a date',
			);
		}
		return new Date(start);
	}
	const hours = Number(ctx.getNodeParameter('hoursBack', 24));
	if (!Number.isFinite(hours) || hours < 0)
		throw new NodeOperationError(ctx.getNode(), 'Parameter "Hours Back" must be zero or more');
	return new Date(now - hours * HOUR_MS);
}

function country(ctx: IPollFunctions): CountryCode | undefined {
	return parseDefaultCountry(ctx.getNode(), ctx.getNodeParameter('defaultCountry', ''));
}

function positive(value: unknown, fallback: number): number {
	const number = Math.floor(Number(value));
	return Number.isFinite(number) && number >= 1 ? number : fallback;
}

function nonNegative(value: unknown, fallback: number): number {
	if (value === undefined || value === null || value === '') return fallback;
	const number = Number(value);
	return Number.isFinite(number) && number >= 0 ? number : fallback;
}

function segmentSettings(ctx: IPollFunctions, crm: CrmName): SegmentSettings | undefined {
	const profile = profileOf(crm);
	if (!profile.segments || ctx.getNodeParameter('records', 'changes') !== 'segment')
		return undefined;
	const raw = ctx.getNodeParameter('segmentId', '') as unknown;
	const segmentId = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
	if (segmentId === '')
		throw new NodeOperationError(
			ctx.getNode(),
			`Parameter "${profile.segments.label} Name or ID" needs the ${profile.segments.label.toLowerCase()} to watch`,
		);
	const firstPoll =
		ctx.getNodeParameter('firstSegmentPoll', 'now') === 'everything' ? 'everything' : 'now';
	return { segmentId, firstPoll };
}

function inclusionSegment(ctx: IPollFunctions, crm: CrmName): string | undefined {
	if (!profileOf(crm).segments || ctx.getNodeParameter('records', 'changes') !== 'changes')
		return undefined;
	const raw = ctx.getNodeParameter('inclusionSegmentId', '') as unknown;
	const id = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
	return id === '' ? undefined : id;
}

export function readSettings(ctx: IPollFunctions, crm: CrmName, now: number): SyncTriggerSettings {
	const options = ctx.getNodeParameter('options', {}) as TriggerOptions;
	const filterParameter = profileOf(crm).syncFilter?.parameter;
	const rawFilter = filterParameter ? ctx.getNodeParameter(filterParameter, '') : '';
	const filter = typeof rawFilter === 'string' ? rawFilter.trim() : JSON.stringify(rawFilter);
	const extra = ctx.getNodeParameter('extraFields', []) as unknown;
	return {
		objectType: ctx.getNodeParameter('objectType') as string,
		segment: segmentSettings(ctx, crm),
		inclusionSegmentId: inclusionSegment(ctx, crm),
		extraFields: Array.isArray(extra)
			? extra.filter((name): name is string => typeof name === 'string' && name !== '')
			: [],
		attributes: readAttributeSettings(ctx),
		filter: filter === '' ? undefined : filter,
		firstPollStart: firstPollStart(ctx, now),
		fullImport: ctx.getNodeParameter('firstPoll', 'hoursBack') === 'everything',
		startOverKey: String(options.startOverKey ?? '').trim(),
		defaultCountry: country(ctx),
		doNotCallField: options.doNotCallField?.trim() || undefined,
		pageSize: positive(options.pageSize, 100),
		maxRecords: positive(options.maxRecords, 10_000),
		sampleSize: positive(options.sampleSize, 5),
		settleSeconds: nonNegative(options.settleSeconds, DEFAULT_SETTLE_SECONDS),
	};
}
