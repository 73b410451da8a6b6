/**
 * Echo suppression. For each record the sync touched, the link store keeps a fingerprint of
 * its mapped values as the sync last saw them: the values it wrote into the record, or the
 * values it copied from it. When a poll brings the record back with the same mapped values,
 * nothing changed that the sync does not already know — the change is the sync's own write
 * (an echo) or a change of unmapped fields — and the item is skipped without an API call.
 *
 * The fingerprint is a hash of the canonical values (no personal data in the link store):
 * field names sorted, blanks left out, multi-selects as sorted sets, instants as epoch ms,
 * numbers as numbers.
 *
 * Pure: no I/O.
 */
import { createHash } from 'node:crypto';

import type { NeutralValue } from '../../CrmContactFieldMerge/logic/fieldValues';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function canonical(value: NeutralValue): unknown {
	if (Array.isArray(value)) return [...new Set(value.map((v) => v.trim()))].sort();
	if (typeof value === 'string') {
		const text = value.trim();
		if (ISO_INSTANT.test(text)) {
			const ms = Date.parse(text);
			if (!Number.isNaN(ms)) return { at: ms };
		}
		return text;
	}
	return value;
}

export function fingerprint(values: Readonly<Record<string, NeutralValue | undefined>>): string {
	const entries = Object.keys(values)
		.sort()
		.flatMap((field) => {
			const value = values[field];
			if (value === undefined || (Array.isArray(value) && value.length === 0)) return [];
			const text = typeof value === 'string' ? value.trim() : undefined;
			if (text === '') return [];
			return [[field, canonical(value)]];
		});
	const digest = createHash('sha256').update(JSON.stringify(entries)).digest('hex');
	return `v1:${digest.slice(0, 32)}`;
}

export type EchoVerdict = 'echo' | 'seen' | 'new';

/**
 * `echo`: the sync wrote exactly these values; `seen`: the sync already copied these values
 * from this record; `new`: a change the sync has not handled.
 */
export function echoVerdict(
	stored: { fingerprint?: string; origin?: string } | undefined,
	current: string,
): EchoVerdict {
	if (!stored?.fingerprint || stored.fingerprint !== current) return 'new';
	return stored.origin === 'written' ? 'echo' : 'seen';
}

/** Associated ids by kind as fingerprint entries (`@company`), beside the mapped fields. */
export function associationValues(
	entries: Array<[string, string[]]>,
): Record<string, NeutralValue | undefined> {
	return Object.fromEntries(entries.map(([kind, ids]) => [`@${kind}`, ids]));
}
