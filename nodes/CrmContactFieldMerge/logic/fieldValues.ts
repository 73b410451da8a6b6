/**
 * Field values in their neutral form, per field type: coercion of what an item carries
 * (validated, with a reason when it cannot be written), lenient reading of what a CRM
 * returns (HubSpot sends every value as text, Dynamics multi-selects as "1,2"), and
 * equality so a merge can tell "unchanged" from "changed".
 *
 * Neutral forms: string → string, number → number, boolean → boolean, date → `YYYY-MM-DD`,
 * datetime → ISO instant in UTC (`…Z`), enum → the picklist value (a status meaning such as
 * "qualified" becomes the org's value for it, see picklistMeaning.ts), multiEnum → array of
 * picklist values. Providers format these for their API (`;`-joined, numbers, …).
 *
 * Pure: no I/O.
 */
import { DateTime } from 'luxon';

import type { FieldType } from '../../shared/model';
import { optionForMeaning } from './picklistMeaning';

export interface PicklistOption {
	value: string;
	label: string;
}

/** What the merge needs to know about one CRM field. */
export interface FieldSpec {
	name: string;
	type: FieldType;
	/** Picklist for enum / multiEnum; absent or empty ⇒ the CRM gave none, values are not checked. */
	options?: PicklistOption[];
}

export type NeutralValue = string | number | boolean | string[];

export type Coerced =
	{ kind: 'empty' } | { kind: 'ok'; value: NeutralValue } | { kind: 'invalid'; reason: string };

export interface CoerceOptions {
	/** IANA zone for date-times written without an offset, e.g. the workflow's timezone. Default UTC. */
	zone?: string;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 'on']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'off']);
/** Long enough to recognise a value in a reason, short enough to keep reasons readable. */
const MAX_SHOWN = 60;

function shown(value: unknown): string {
	const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
	return JSON.stringify(text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text);
}

/** null, undefined, whitespace-only text and empty arrays carry no value. */
export function isEmptyValue(value: unknown): boolean {
	if (value === null || value === undefined) return true;
	if (typeof value === 'string') return value.trim() === '';
	if (Array.isArray(value)) return value.every(isEmptyValue);
	return false;
}

const invalid = (reason: string): Coerced => ({ kind: 'invalid', reason });
const ok = (value: NeutralValue): Coerced => ({ kind: 'ok', value });

function coerceString(value: unknown): Coerced {
	if (typeof value === 'string') return ok(value);
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
		return ok(String(value));
	return invalid(`${shown(value)} is not text`);
}

function coerceNumber(value: unknown): Coerced {
	if (typeof value === 'number')
		return Number.isFinite(value)
			? ok(value)
			: invalid(`${shown(String(value))} is not a finite number`);
	if (typeof value === 'string' && NUMBER_TEXT.test(value.trim())) return ok(Number(value.trim()));
	return invalid(`${shown(value)} is not a number`);
}

function coerceBoolean(value: unknown): Coerced {
	if (typeof value === 'boolean') return ok(value);
	const word =
		typeof value === 'number'
			? String(value)
			: typeof value === 'string'
				? value.trim().toLowerCase()
				: undefined;
	if (word !== undefined && TRUE_WORDS.has(word)) return ok(true);
	if (word !== undefined && FALSE_WORDS.has(word)) return ok(false);
	return invalid(`${shown(value)} is not a boolean (use true or false)`);
}

/** A date-only text must name a real calendar day (no 2026-02-30). */
function realDay(text: string): boolean {
	return DateTime.fromISO(text, { zone: 'utc' }).isValid;
}

/**
 * Date-only: kept as the calendar day it names. A timestamp gives the day *as written in its
 * own offset* (`2026-03-01T23:30:00-05:00` is March 1st), never the UTC day, so a value does
 * not shift a day across timezones. Epoch milliseconds are read in UTC (HubSpot stores dates
 * as midnight UTC).
 */
function coerceDate(value: unknown, zone: string): Coerced {
	if (typeof value === 'number' && Number.isFinite(value))
		return ok(DateTime.fromMillis(value, { zone: 'utc' }).toISODate() ?? '');
	if (value instanceof Date && !Number.isNaN(value.getTime()))
		return ok(DateTime.fromJSDate(value, { zone: 'utc' }).toISODate() ?? '');
	if (typeof value !== 'string') return invalid(`${shown(value)} is not a date`);
	const text = value.trim();
	if (DATE_ONLY.test(text))
		return realDay(text) ? ok(text) : invalid(`${shown(text)} is not a real calendar date`);
	if (/^\d{10,13}$/.test(text)) return coerceDate(Number(text), zone);
	const parsed = DateTime.fromISO(text, { setZone: true, zone });
	if (!parsed.isValid) return invalid(`${shown(text)} is not a date (use YYYY-MM-DD)`);
	return ok(parsed.toISODate() ?? '');
}

/** An instant, written out in UTC. Times without an offset are read in `zone`. */
function coerceDateTime(value: unknown, zone: string): Coerced {
	if (typeof value === 'number' && Number.isFinite(value)) return ok(new Date(value).toISOString());
	if (value instanceof Date && !Number.isNaN(value.getTime())) return ok(value.toISOString());
	if (typeof value !== 'string') return invalid(`${shown(value)} is not a date-time`);
	const text = value.trim();
	if (/^\d{10,13}$/.test(text)) return coerceDateTime(Number(text), zone);
	const parsed = DateTime.fromISO(text, { zone });
	if (!parsed.isValid)
		return invalid(`${shown(text)} is not a date-time (use ISO 8601, e.g. 2026-03-01T09:30:00Z)`);
	return ok(parsed.toUTC().toISO() ?? '');
}

/** Picklist lookup: exact value, then value ignoring case, then label ignoring case. */
export function findOption(
	options: readonly PicklistOption[],
	raw: string,
): PicklistOption | undefined {
	const text = raw.trim();
	const lower = text.toLowerCase();
	return (
		options.find((option) => option.value === text) ??
		options.find((option) => option.value.toLowerCase() === lower) ??
		options.find((option) => option.label.trim().toLowerCase() === lower)
	);
}

function picklistText(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return undefined;
}

function allowedList(options: readonly PicklistOption[]): string {
	const values = options.slice(0, 10).map((option) => option.value);
	return `${values.join(', ')}${options.length > 10 ? ', …' : ''}`;
}

function coerceEnum(value: unknown, field: FieldSpec): Coerced {
	const text = picklistText(value);
	if (text === undefined) return invalid(`${shown(value)} is not a picklist value`);
	const options = field.options ?? [];
	if (options.length === 0) return ok(text.trim());
	// A meaning ("qualified", "unqualified", "pending") that is no value of this picklist takes the org's value for it.
	const option = findOption(options, text) ?? optionForMeaning(options, text);
	if (!option)
		return invalid(
			`${shown(text)} is not in the picklist of "${field.name}" (allowed: ${allowedList(options)})`,
		);
	return ok(option.value);
}

/** `a;b`, `a,b` or an array; each entry must be in the picklist when there is one. */
function splitMulti(value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	if (typeof value !== 'string') return [value];
	const separator = value.includes(';') ? ';' : ',';
	return value.split(separator);
}

function coerceMultiEnum(value: unknown, field: FieldSpec): Coerced {
	const entries = splitMulti(value).filter((entry) => !isEmptyValue(entry));
	const options = field.options ?? [];
	const values: string[] = [];
	const unknown: string[] = [];
	for (const entry of entries) {
		const text = picklistText(entry);
		if (text === undefined) return invalid(`${shown(entry)} is not a picklist value`);
		const resolved = options.length ? findOption(options, text)?.value : text.trim();
		if (resolved === undefined) unknown.push(text.trim());
		else if (!values.includes(resolved)) values.push(resolved);
	}
	if (unknown.length) {
		return invalid(
			`${unknown.map(shown).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not in the picklist of "${field.name}" (allowed: ${allowedList(options)})`,
		);
	}
	return values.length ? ok(values) : { kind: 'empty' };
}

/**
 * Coerces an incoming value for `field`. Empty input is `{ kind: 'empty' }` — never a value
 * that would clear the field.
 */
export function coerceValue(
	value: unknown,
	field: FieldSpec,
	options: CoerceOptions = {},
): Coerced {
	if (isEmptyValue(value)) return { kind: 'empty' };
	const zone = options.zone ?? 'utc';
	switch (field.type) {
		case 'string':
			return coerceString(value);
		case 'number':
			return coerceNumber(value);
		case 'boolean':
			return coerceBoolean(value);
		case 'date':
			return coerceDate(value, zone);
		case 'datetime':
			return coerceDateTime(value, zone);
		case 'enum':
			return coerceEnum(value, field);
		case 'multiEnum':
			return coerceMultiEnum(value, field);
	}
}

/**
 * Reads a value the CRM returned into the neutral form, leniently: a value that does not fit
 * the type is kept as its text, so it simply compares as "different" and is never lost.
 * Picklist values are not checked here (a stored value outside today's picklist is still the
 * current value). Returns undefined for an empty field.
 */
export function readStoredValue(value: unknown, field: FieldSpec): NeutralValue | undefined {
	if (isEmptyValue(value)) return undefined;
	const loose: FieldSpec = { ...field, options: undefined };
	const coerced = coerceValue(value, loose);
	if (coerced.kind === 'ok') return coerced.value;
	return Array.isArray(value) ? value.map(String) : String(value);
}

/** Equality of neutral values of one type: instants by time, multi-selects as sets. */
export function sameValue(
	a: NeutralValue | undefined,
	b: NeutralValue | undefined,
	type: FieldType,
): boolean {
	if (a === undefined || b === undefined) return a === b;
	if (type === 'multiEnum' && Array.isArray(a) && Array.isArray(b)) {
		const left = new Set(a);
		const right = new Set(b);
		return left.size === right.size && [...left].every((entry) => right.has(entry));
	}
	if (type === 'datetime' && typeof a === 'string' && typeof b === 'string') {
		const left = Date.parse(a);
		const right = Date.parse(b);
		if (!Number.isNaN(left) && !Number.isNaN(right)) return left === right;
	}
	if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify(a) === JSON.stringify(b);
	return a === b;
}
