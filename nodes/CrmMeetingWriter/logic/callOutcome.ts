/**
 * Per-item checks of a call log's outcome, recording URL and additional fields (pure): each
 * gives the value to write or a reason naming what is wrong, which the node reports as that
 * item's error.
 */
import { presentText, singleLine } from '../../shared/logic/text';
import type { FieldDescription, FieldOption } from '../../shared/providers/CrmProvider';
import type { CallOutcomeStore } from '../../shared/providers/profile';

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

const LISTED_CHOICES = 12;

function listOf(choices: readonly FieldOption[]): string {
	const labels = choices.slice(0, LISTED_CHOICES).map((choice) => choice.label);
	return choices.length > LISTED_CHOICES ? `${labels.join(', ')}, …` : labels.join(', ');
}

/**
 * The outcome to store: for a `choice` CRM the id of the portal's outcome named by its id or
 * its label (case and spacing ignored); elsewhere the text, which must fit the field.
 */
export function resolveCallOutcome(
	raw: string,
	store: CallOutcomeStore,
	choices: readonly FieldOption[],
	crmName: string,
): Checked<string | undefined> {
	const given = presentText(raw);
	if (given === undefined) return { ok: true, value: undefined };
	if (store.store === 'choice') {
		const folded = given.toLowerCase().replace(/\s+/g, ' ');
		const found =
			choices.find((choice) => choice.value === given) ??
			choices.find((choice) => choice.label.toLowerCase().replace(/\s+/g, ' ') === folded);
		if (found) return { ok: true, value: found.value };
		return {
			ok: false,
			message: choices.length
				? `"${singleLine(given, 80)}" is not one of the ${crmName} call outcomes (${listOf(choices)})`
				: `"${singleLine(given, 80)}" cannot be used: the ${crmName} account lists no call outcomes`,
		};
	}
	const line = singleLine(given, Number.MAX_SAFE_INTEGER);
	if (line.length > store.maxLength)
		return {
			ok: false,
			message: `is ${line.length} characters long; ${crmName} stores at most ${store.maxLength}`,
		};
	return { ok: true, value: line };
}

/** A recording link: absent, or an absolute http(s) URL. */
export function checkRecordingUrl(raw: string | undefined): Checked<string | undefined> {
	const given = presentText(raw ?? '');
	if (given === undefined) return { ok: true, value: undefined };
	let url: URL;
	try {
		url = new URL(given);
	} catch {
		return { ok: false, message: `"${singleLine(given, 80)}" is not a URL` };
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:')
		return { ok: false, message: `"${singleLine(given, 80)}" is not an http or https URL` };
	return { ok: true, value: url.toString() };
}

const TRUE = new Set(['true', 'yes', '1']);
const FALSE = new Set(['false', 'no', '0']);

/** Field types a text value can be written to. */
const WRITABLE_TYPES = new Set(['string', 'number', 'boolean', 'date', 'datetime', 'enum']);

/** Whether Additional Activity Fields offers this field. */
export function isOfferedField(field: FieldDescription, reserved: readonly string[]): boolean {
	return !field.readOnly && WRITABLE_TYPES.has(field.type) && !reserved.includes(field.name);
}

/**
 * One additional field's value, typed as the field: numbers and booleans as such, choices as
 * one of their values (numbers where the CRM's choices are integers), text as given.
 */
export function additionalFieldValue(
	name: string,
	raw: string,
	fields: readonly FieldDescription[],
	reserved: readonly string[],
	choicesAsNumbers: boolean,
): Checked<string | number | boolean> {
	const field = fields.find((candidate) => candidate.name === name);
	if (!field) return { ok: false, message: `"${singleLine(name, 80)}" is not a field of the call` };
	if (!isOfferedField(field, reserved))
		return { ok: false, message: `"${name}" is set by the node itself or cannot be written` };
	const value = raw.trim();
	switch (field.type) {
		case 'number': {
			const number = Number(value);
			if (value === '' || !Number.isFinite(number))
				return { ok: false, message: `"${singleLine(value, 40)}" is not a number` };
			return { ok: true, value: number };
		}
		case 'boolean':
			if (TRUE.has(value.toLowerCase())) return { ok: true, value: true };
			if (FALSE.has(value.toLowerCase())) return { ok: true, value: false };
			return { ok: false, message: `"${singleLine(value, 40)}" is not true or false` };
		case 'enum': {
			const option = (field.options ?? []).find(
				(candidate) =>
					candidate.value === value || candidate.label.toLowerCase() === value.toLowerCase(),
			);
			if (!option)
				return {
					ok: false,
					message: `"${singleLine(value, 80)}" is not one of its choices (${listOf(field.options ?? [])})`,
				};
			return {
				ok: true,
				value:
					choicesAsNumbers && /^-?\d+$/.test(option.value) ? Number(option.value) : option.value,
			};
		}
		case 'date':
		case 'datetime':
			if (Number.isNaN(Date.parse(value)))
				return { ok: false, message: `"${singleLine(value, 40)}" is not a date` };
			return { ok: true, value };
		default:
			return { ok: true, value };
	}
}
