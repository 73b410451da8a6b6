/**
 * What this node has written, kept in n8n's processed-items store (the table behind the
 * Remove Duplicates node: it survives restarts and is shared by queue-mode workers).
 *
 * Three kinds of entries per write (one write = one activity on one target record):
 * - `pending|<id>`  an attempt started and has not been confirmed by the CRM yet. It stays
 *                   when the process dies mid-write or the CRM's answer was lost, so the next
 *                   delivery looks in the CRM before writing instead of trusting the store;
 * - `done|<id>`     the CRM confirmed the write;
 * - `body|<id>|<d>` the content digest that was written, so corrected content is noticed.
 *
 * n8n's helpers read the whole entry list of a workflow + node, change it in memory and
 * write it back, with no lock. Every access of this ledger therefore runs under one
 * in-process lock per workflow + node, and callers hold a lock per write id for the whole
 * write, so concurrent executions never lose each other's entries or write the same thing.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { withKeyedLocks } from './keyedLock';

/** Entries kept per node; the oldest are dropped beyond it (n8n trims from the front). */
export const LEDGER_CAPACITY = 100_000;
/** From this fill level on, dropped entries are possible: a "new" write is looked up in the CRM first. */
const FORGETFUL_AT = Math.floor(LEDGER_CAPACITY * 0.95);

const OPTIONS = { mode: 'entries' as const, maxEntries: LEDGER_CAPACITY };

export interface LedgerEntry {
	/** One write: CRM + activity key + target. */
	id: string;
	/** Digest of the content written (or about to be). */
	digest: string;
}

export type LedgerState =
	/** Written before with this content. */
	| 'done'
	/** Written before with other content: the existing activity should be updated. */
	| 'changed'
	/** An earlier attempt's outcome is unknown (crash, lost answer): look in the CRM first. */
	| 'unconfirmed'
	/** Never attempted as far as the ledger knows. */
	| 'new';

const pending = (id: string): string => `pending|${id}`;
const done = (id: string): string => `done|${id}`;
const body = (entry: LedgerEntry): string => `body|${entry.id}|${entry.digest}`;

export class WriteLedger {
	private readonly scope: string;

	constructor(private readonly ctx: IExecuteFunctions) {
		const workflowId = ctx.getWorkflow().id ?? 'unsaved';
		this.scope = `ledger:${workflowId}:${ctx.getNode().id}`;
	}

	/** Lock name for one write, held by the caller from `open` until it settles the write. */
	static writeLock(id: string): string {
		return `write:${id}`;
	}

	/**
	 * Reads the state of each entry and marks every entry that will be attempted as pending
	 * (all but `done`). `forgetful` is true when the store may have dropped old entries.
	 */
	async open(
		entries: LedgerEntry[],
	): Promise<{ states: Map<string, LedgerState>; forgetful: boolean }> {
		const unique = uniqueById(entries);
		if (unique.length === 0) return { states: new Map(), forgetful: false };
		return await this.exclusive(async () => {
			const forgetful =
				(await this.ctx.helpers.getProcessedDataCount('node', OPTIONS)) >= FORGETFUL_AT;
			const asked = unique.flatMap((entry) => [done(entry.id), body(entry), pending(entry.id)]);
			const result = await this.ctx.helpers.checkProcessedAndRecord(asked, 'node', OPTIONS);
			const seen = new Set(result.processed.map(String));
			const states = new Map<string, LedgerState>();
			const undo: string[] = [];
			for (const entry of unique) {
				const wasDone = seen.has(done(entry.id));
				const sameBody = seen.has(body(entry));
				const state: LedgerState = wasDone
					? sameBody
						? 'done'
						: 'changed'
					: seen.has(pending(entry.id))
						? 'unconfirmed'
						: 'new';
				states.set(entry.id, state);
				// Only `pending` may stay recorded by this call: done/body are recorded on confirmation.
				if (!wasDone) undo.push(done(entry.id));
				if (!sameBody) undo.push(body(entry));
				if (state === 'done') undo.push(pending(entry.id));
			}
			if (undo.length) await this.ctx.helpers.removeProcessed(undo, 'node', OPTIONS);
			return { states, forgetful };
		});
	}

	/** The CRM confirmed these writes. */
	async confirm(entries: LedgerEntry[]): Promise<void> {
		const unique = uniqueById(entries);
		if (unique.length === 0) return;
		await this.exclusive(async () => {
			await this.ctx.helpers.checkProcessedAndRecord(
				unique.flatMap((entry) => [done(entry.id), body(entry)]),
				'node',
				OPTIONS,
			);
			await this.ctx.helpers.removeProcessed(
				unique.map((entry) => pending(entry.id)),
				'node',
				OPTIONS,
			);
		});
	}

	/** These attempts certainly wrote nothing (the CRM rejected them): forget the attempt. */
	async abandon(ids: string[]): Promise<void> {
		const unique = [...new Set(ids)];
		if (unique.length === 0) return;
		await this.exclusive(
			async () => await this.ctx.helpers.removeProcessed(unique.map(pending), 'node', OPTIONS),
		);
	}

	private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
		return await withKeyedLocks([this.scope], fn);
	}
}

function uniqueById(entries: LedgerEntry[]): LedgerEntry[] {
	return [...new Map(entries.map((entry) => [entry.id, entry])).values()];
}
