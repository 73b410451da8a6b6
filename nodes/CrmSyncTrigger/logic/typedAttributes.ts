/**
 * CRM field values → typed platform attributes. Each CRM hands values over its own way
 * (HubSpot: every property as a string; Salesforce and Dynamics 365: JSON numbers and
 * booleans; dates as `YYYY-MM-DD`, change times with `+0000` or `Z`; picklists as a text
 * value or an option number). A value is converted to the attribute's type or not at all:
 * empty means unknown (null, never false or 0), and a value that does not fit the type
 * becomes null with the reason, never a guess.
 *
 * Pure: no I/O.
 */
import type { FieldOption } from '../../shared/providers/CrmProvider';

export const ATTRIBUTE_TYPES = ['string', 'number', 'boolean', 'date', 'datetime', 'enum'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

/** A picklist value: the CRM's stored value and, when the field's options name it, its label. */
export interface EnumValue {
	value: string;
	label: string | null;
}

export type AttributeValue = string | number | boolean | EnumValue | null;

export interface Converted {
	/** null: unknown (empty in the CRM) or not convertible (then `problem` says why). */
	value: AttributeValue;
	problem?: string;
}

export interface AttributeMapping {
	/** The CRM's field name. */
	crmField: string;
	/** The attribute name in the output's `attributes`. */
	attribute: string;
	type: AttributeType;
}

/** What the CRM's object description says about a mapped field (options of a picklist). */
export interface MappedFieldInfo {
	options?: readonly FieldOption[];
}

const NUMBER_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const EPOCH_MS_TEXT = /^-?\d{10,}$/;
// An offset written without a colon (`+0000`, Salesforce): the one ISO form Date.parse may not read.
const COMPACT_OFFSET = /([+-]\d{2})(\d{2})$/;
const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/i;
const TRUE_TEXT = new Set(['true', '1', 'yes']);
const FALSE_TEXT = new Set(['false', '0', 'no']);

/** Absent, null and blank text are unknown, whatever the type. */
export function isEmptyValue(raw: unknown): boolean {
	return raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
}

/** Shown in a warning: the value as the CRM sent it, cut short. */
export function describeRaw(raw: unknown): string {
	const text = typeof raw === 'string' ? raw : String(JSON.stringify(raw));
	const shown = text.length > 40 ? `${text.slice(0, 39)}…` : text;
	return `"${shown}"`;
}

function fail(problem: string): Converted {
	return { value: null, problem };
}

function toText(raw: unknown): Converted {
	if (typeof raw === 'string') return { value: raw };
	if (typeof raw === 'number' && Number.isFinite(raw)) return { value: String(raw) };
	if (typeof raw === 'boolean') return { value: String(raw) };
	return fail(`${describeRaw(raw)} is not a single text value`);
}

function toNumber(raw: unknown): Converted {
	if (typeof raw === 'number') {
		return Number.isFinite(raw) ? { value: raw } : fail(`${describeRaw(raw)} is not a number`);
	}
	if (typeof raw === 'string') {
		const text = raw.trim();
		// Thousands separators and decimal commas differ by locale: such text is refused, not guessed.
		if (NUMBER_TEXT.test(text)) {
			const value = Number(text);
			if (Number.isFinite(value)) return { value };
		}
	}
	return fail(`${describeRaw(raw)} is not a number`);
}

function toBoolean(raw: unknown): Converted {
	if (typeof raw === 'boolean') return { value: raw };
	// 1/0: Dataverse two-option values and numeric flags; any other number is not a yes/no.
	if (raw === 1 || raw === 0) return { value: raw === 1 };
	if (typeof raw === 'string') {
		const text = raw.trim().toLowerCase();
		if (TRUE_TEXT.has(text)) return { value: true };
		if (FALSE_TEXT.has(text)) return { value: false };
	}
	return fail(`${describeRaw(raw)} is not true/false`);
}

function validDate(year: number, month: number, day: number): boolean {
	const date = new Date(0);
	// setUTCFullYear, not Date.UTC: the latter reads years 0-99 as 1900-1999.
	date.setUTCFullYear(year, month - 1, day);
	return (
		date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
	);
}

/** Milliseconds of an instant the CRM wrote with its zone, or of epoch milliseconds; NaN otherwise. */
function instantMillis(raw: unknown): number {
	if (typeof raw === 'number') return Number.isInteger(raw) ? raw : Number.NaN;
	if (typeof raw !== 'string') return Number.NaN;
	const text = raw.trim();
	if (EPOCH_MS_TEXT.test(text)) return Number(text);
	// A time without a zone would be read in the server's zone: refused rather than shifted.
	if (!text.includes('T') || !HAS_ZONE.test(text)) return Number.NaN;
	return Date.parse(text.replace(COMPACT_OFFSET, '$1:$2'));
}

function isoOf(millis: number): string | undefined {
	if (!Number.isFinite(millis)) return undefined;
	const date = new Date(millis);
	if (Number.isNaN(date.getTime())) return undefined;
	const iso = date.toISOString();
	// Years outside 0000-9999 are written ±YYYYYY: no CRM stores them, so they are refused.
	return /^\d{4}-/.test(iso) ? iso : undefined;
}

function toDate(raw: unknown): Converted {
	if (typeof raw === 'string') {
		const match = DATE_TEXT.exec(raw.trim());
		if (match) {
			const [, year, month, day] = match;
			return validDate(Number(year), Number(month), Number(day))
				? { value: match[0] }
				: fail(`${describeRaw(raw)} is not a calendar date`);
		}
	}
	// A date stored as an instant (midnight UTC: HubSpot's epoch form, Dataverse's user-local dates): its UTC day.
	const iso = isoOf(instantMillis(raw));
	return iso ? { value: iso.slice(0, 10) } : fail(`${describeRaw(raw)} is not a date`);
}

function toDateTime(raw: unknown): Converted {
	if (typeof raw === 'string') {
		const match = DATE_TEXT.exec(raw.trim());
		if (match) {
			const [, year, month, day] = match;
			return validDate(Number(year), Number(month), Number(day))
				? { value: `${match[0]}T00:00:00.000Z` }
				: fail(`${describeRaw(raw)} is not a calendar date`);
		}
	}
	const iso = isoOf(instantMillis(raw));
	return iso ? { value: iso } : fail(`${describeRaw(raw)} is not a date and time with a time zone`);
}

function toEnum(raw: unknown, options: readonly FieldOption[] | undefined): Converted {
	const single =
		typeof raw === 'string' ||
		typeof raw === 'boolean' ||
		(typeof raw === 'number' && Number.isFinite(raw));
	if (!single) return fail(`${describeRaw(raw)} is not a single choice`);
	const value = String(raw).trim();
	if (!options || options.length === 0) return { value: { value, label: null } };
	const option = options.find((candidate) => candidate.value === value);
	if (option) return { value: { value, label: option.label } };
	// Kept: the CRM stores it (e.g. an unrestricted picklist), only its label is unknown.
	return {
		value: { value, label: null },
		problem: `${describeRaw(raw)} is not one of the field's options, so it has no label`,
	};
}

/** One CRM value as the given type; empty → null without a problem. */
export function convertValue(
	raw: unknown,
	type: AttributeType,
	field: MappedFieldInfo = {},
): Converted {
	if (isEmptyValue(raw)) return { value: null };
	switch (type) {
		case 'string':
			return toText(raw);
		case 'number':
			return toNumber(raw);
		case 'boolean':
			return toBoolean(raw);
		case 'date':
			return toDate(raw);
		case 'datetime':
			return toDateTime(raw);
		case 'enum':
			return toEnum(raw, field.options);
	}
}

export interface AttributeProblem {
	crmField: string;
	attribute: string;
	reason: string;
}

export interface MappedAttributes {
	attributes: Record<string, AttributeValue>;
	problems: AttributeProblem[];
}

/** Every mapping applied to one record's properties. A mapping whose field is unset gives null. */
export function mapAttributes(
	properties: Readonly<Record<string, unknown>>,
	mappings: readonly AttributeMapping[],
	fields: ReadonlyMap<string, MappedFieldInfo> = new Map(),
): MappedAttributes {
	const attributes: Record<string, AttributeValue> = {};
	const problems: AttributeProblem[] = [];
	for (const mapping of mappings) {
		const raw = Object.prototype.hasOwnProperty.call(properties, mapping.crmField)
			? properties[mapping.crmField]
			: undefined;
		const converted = convertValue(raw, mapping.type, fields.get(mapping.crmField));
		attributes[mapping.attribute] = converted.value;
		if (converted.problem) {
			problems.push({
				crmField: mapping.crmField,
				attribute: mapping.attribute,
				reason:
					converted.value === null
						? `${converted.problem}; the attribute is null`
						: converted.problem,
			});
		}
	}
	return { attributes, problems };
}

/** The warning a record carries for one problem: record id, CRM field and attribute named. */
export function attributeWarning(recordId: string, problem: AttributeProblem): string {
	return `Record ${recordId}: CRM field "${problem.crmField}" → attribute "${problem.attribute}": ${problem.reason}`;
}
