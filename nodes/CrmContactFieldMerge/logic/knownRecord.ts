/**
 * "Known record id first, then phone/email" (pure): an item may carry the id of the record an
 * earlier write created or matched (stored back in the caller's contact table). That id is
 * read first; only when the CRM no longer has it (deleted, or merged away) is the item
 * matched by its phone/email key, and the item says so.
 */
import type { ObjectKind } from '../../shared/model';

/** The stored id and the person kinds it may be (one when the caller stored which). */
export interface KnownRecordRef {
	id: string;
	kinds: ObjectKind[];
	/** Why the id cannot be one of this CRM's (then it is not read; the item falls back). */
	invalid?: string;
}

/** The shape of the CRM's record ids, where it has a fixed one. */
export interface RecordIdFormat {
	pattern: RegExp;
	description: string;
}

export interface KnownObject {
	kind: ObjectKind;
	/** The CRM's object name (`Lead`, `contacts` …); accepted as the kind hint too. */
	objectType: string;
}

export type KnownRecordInput =
	{ ok: true; ref?: KnownRecordRef } | { ok: false; field: string; reason: string };

const MAX_ID_LENGTH = 100;

/** Whitespace, C0 controls and DEL: never part of a CRM record id. */
const isSpaceOrControl = (char: string): boolean => {
	const code = char.charCodeAt(0);
	return code <= 0x20 || code === 0x7f || /\s/.test(char);
};

const blank = (value: unknown): boolean =>
	value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/**
 * The item's known record from the two parameters. A blank id means none (the item is matched
 * by phone/email as before); a blank kind means any of `objects` (in their order).
 */
export function parseKnownRecord(
	rawId: unknown,
	rawKind: unknown,
	objects: readonly KnownObject[],
	format?: RecordIdFormat,
): KnownRecordInput {
	if (blank(rawId)) return { ok: true };
	if (typeof rawId !== 'string' && typeof rawId !== 'number')
		return { ok: false, field: 'Known Record ID', reason: 'must be text or a number' };
	const id = String(rawId).trim();
	if (id.length > MAX_ID_LENGTH || [...id].some(isSpaceOrControl))
		return {
			ok: false,
			field: 'Known Record ID',
			reason: `"${id.slice(0, 40)}" is not a record id (no spaces, at most ${MAX_ID_LENGTH} characters)`,
		};
	// A stored id of the wrong shape (e.g. another CRM's) is replaced like a deleted one.
	const invalid = format && !format.pattern.test(id) ? `is not a ${format.description}` : undefined;
	const ref = (kinds: ObjectKind[]): KnownRecordRef =>
		invalid ? { id, kinds, invalid } : { id, kinds };
	if (blank(rawKind)) return { ok: true, ref: ref(objects.map((o) => o.kind)) };
	const hint = String(rawKind).trim().toLowerCase();
	const object = objects.find(
		(o) => o.kind === hint || o.objectType.toLowerCase() === hint || `${o.kind}s` === hint,
	);
	if (!object)
		return {
			ok: false,
			field: 'Known Record Object',
			reason: `"${String(rawKind).slice(0, 40)}" is not one of the objects looked up: ${objects
				.map((o) => o.objectType)
				.join(', ')}`,
		};
	return { ok: true, ref: ref([object.kind]) };
}

/** What became of a known id: used, or gone so the item was matched by phone/email. */
export type KnownRecordStatus =
	| { status: 'used'; id: string; kind: ObjectKind }
	| { status: 'stale'; id: string; reason: string };

/**
 * The decision for one item: the first kind (in the ref's order) under which the CRM still
 * has the id wins; none ⇒ stale, with the reason the item reports.
 */
export function decideKnownRecord(
	ref: KnownRecordRef,
	exists: (kind: ObjectKind) => string | undefined,
): KnownRecordStatus {
	if (ref.invalid)
		return {
			status: 'stale',
			id: ref.id,
			reason: `the known record id ${ref.id} ${ref.invalid}: matched by phone/email instead`,
		};
	for (const kind of ref.kinds) {
		const id = exists(kind);
		if (id !== undefined) return { status: 'used', id, kind };
	}
	const kinds = ref.kinds.join(' or ');
	return {
		status: 'stale',
		id: ref.id,
		reason: `the known ${kinds} id ${ref.id} no longer exists in the CRM (deleted or merged): matched by phone/email instead`,
	};
}
