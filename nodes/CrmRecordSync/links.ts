/**
 * Cross-references between records of two CRMs. The node reads the link of each source
 * record from its input (the template keeps them in an n8n Data Table, "CRM record links",
 * one row per record: its counterpart and the fingerprint of its mapped values as the sync
 * last saw them) and outputs the rows to store for both records. Community nodes cannot open
 * Data Tables themselves (n8n 2.x gives its data-table helpers to its own Data Table nodes
 * only), so the rows travel through the workflow.
 *
 * The same rows are also kept in a memory shared by every execution of the process (in queue
 * mode by every process, through Redis), so concurrent executions and a workflow that does
 * not store links yet still find the record created a moment ago.
 */
import type { IDataObject } from 'n8n-workflow';

import { coordinatedMemory } from '../shared/coordination/coordination';
import { ExpiringMemory } from '../shared/coordination/expiringMemory';
import { DELETION_MARKS, type DeletionMark } from './logic/deletions';
import type { PendingCreate } from './logic/pendingCreate';
import type { CrmName } from '../shared/model';

export interface LinkRow {
	/** `<crm>:<objectType>:<id>` of the record this row describes. */
	key: string;
	crm: CrmName;
	objectType: string;
	recordId: string;
	counterpartCrm: CrmName;
	counterpartObjectType: string;
	counterpartId: string;
	/** Fingerprint of the record's mapped values as the sync last saw them (see logic/echo.ts). */
	fingerprint: string;
	/** `written`: the sync wrote those values into this record; `read`: it copied them from it. */
	origin: 'written' | 'read';
	/** ISO time of that sync. */
	syncedAt: string;
	/**
	 * A deletion the sync handled (see logic/deletions.ts): `source` = deleted in its own CRM and
	 * propagated, `sync` = deleted by the sync; '' = not deleted. Every row carries it, so a row
	 * stored over a deleted one (a restored record synced again) clears the mark.
	 */
	deleted: DeletionMark | '';
	/** ISO time of that deletion; '' when not deleted. */
	deletedAt: string;
}

export function linkKey(crm: string, objectType: string, id: string): string {
	return `${crm}:${objectType}:${id}`;
}

const text = (value: unknown): string | undefined =>
	typeof value === 'string' && value !== '' ? value : undefined;

export type ParsedLink = { ok: true; row?: LinkRow } | { ok: false; reason: string };

/**
 * A stored row as the workflow hands it in (a Data Table row, an object or its JSON text);
 * no row when absent, a reason when it is present but unusable (the item fails naming it).
 */
export function parseLinkRow(raw: unknown): ParsedLink {
	if (raw === undefined || raw === null || raw === '') return { ok: true };
	let value: unknown = raw;
	if (typeof raw === 'string') {
		try {
			value = JSON.parse(raw) as unknown;
		} catch {
			return { ok: false, reason: 'the stored link is not valid JSON' };
		}
	}
	if (Array.isArray(value)) {
		if (value.length === 0) return { ok: true };
		value = value[0];
	}
	if (typeof value !== 'object' || value === null)
		return { ok: false, reason: 'the stored link is not an object' };
	const row = value as IDataObject;
	if (Object.keys(row).length === 0) return { ok: true };
	const crm = text(row.crm);
	const objectType = text(row.objectType);
	const recordId = text(row.recordId);
	const counterpartCrm = text(row.counterpartCrm);
	const counterpartObjectType = text(row.counterpartObjectType);
	const counterpartId = text(row.counterpartId);
	if (
		!crm ||
		!objectType ||
		!recordId ||
		!counterpartCrm ||
		!counterpartObjectType ||
		!counterpartId
	)
		return {
			ok: false,
			reason:
				'the stored link needs crm, objectType, recordId, counterpartCrm, counterpartObjectType and counterpartId',
		};
	const link: LinkRow = {
		key: linkKey(crm, objectType, recordId),
		crm: crm as CrmName,
		objectType,
		recordId,
		counterpartCrm: counterpartCrm as CrmName,
		counterpartObjectType,
		counterpartId,
		fingerprint: text(row.fingerprint) ?? '',
		origin: row.origin === 'written' ? 'written' : 'read',
		syncedAt: text(row.syncedAt) ?? '',
		deleted: DELETION_MARKS.find((mark) => mark === row.deleted) ?? '',
		deletedAt: text(row.deletedAt) ?? '',
	};
	return { ok: true, row: link };
}

export interface LinkMemory {
	recall(key: string): LinkRow | undefined;
	remember(key: string, row: LinkRow): void | Promise<void>;
	prefetch?(keys: readonly string[]): Promise<void>;
}

/** Long enough to outlast any poll interval and search-index lag; the Data Table keeps links for good. */
const TTL_MS = 24 * 60 * 60_000;
const MAX_ENTRIES = 50_000;

export class InProcessLinks extends ExpiringMemory<LinkRow> {
	constructor(ttlMs = TTL_MS, maxEntries = MAX_ENTRIES, now: () => number = Date.now) {
		super(ttlMs, maxEntries, now);
	}
}

export const processLinks: LinkMemory = coordinatedMemory(
	new InProcessLinks(),
	'record-links',
	TTL_MS,
);

export interface PendingMemory {
	recall(key: string): PendingCreate | undefined;
	remember(key: string, value: PendingCreate): void | Promise<void>;
	prefetch?(keys: readonly string[]): Promise<void>;
}

/** Creates whose answer was lost, by `<target crm>|<source key>` (see logic/pendingCreate.ts). */
export const processPendingCreates: PendingMemory = coordinatedMemory(
	new ExpiringMemory<PendingCreate>(TTL_MS, MAX_ENTRIES),
	'record-sync-pending-creates',
	TTL_MS,
);
