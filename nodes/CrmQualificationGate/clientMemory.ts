/**
 * Which clients were qualified before, kept in n8n's processed-items store (its database
 * table, so it holds across executions and in queue mode) with scope "workflow": every gate
 * in the same workflow (rules now, AI review after the Wait) shares it. One store call per
 * batch records all clients; the entries of clients that did not qualify are given back.
 *
 * A downgrade by the AI review retracts the client's entry only when this very conversation
 * created it (`qualification.firstQualified` from the earlier gate) — another qualified
 * conversation of the client keeps it syncable.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { qualifiedClientEntry, type ClientState } from './logic/stickyQualification';

const SCOPE = 'workflow' as const;
const OPTIONS = { mode: 'entries' as const, maxEntries: 100_000 };

export interface ClientMemory {
	/** Clients qualified before this batch (retracted entries excluded). */
	known: Set<string>;
	/** Clients this batch qualified for the first time. */
	firstQualified: Set<string>;
}

export async function updateClientMemory(
	ctx: IExecuteFunctions,
	clients: Map<string, ClientState>,
): Promise<ClientMemory> {
	const memory: ClientMemory = { known: new Set(), firstQualified: new Set() };
	if (clients.size === 0) return memory;
	const ids = [...clients.keys()];
	const result = await ctx.helpers.checkProcessedAndRecord(
		ids.map(qualifiedClientEntry),
		SCOPE,
		OPTIONS,
	);
	const before = new Set(result.processed.map(String));
	const release: string[] = [];
	for (const [id, state] of clients) {
		const entry = qualifiedClientEntry(id);
		const existed = before.has(entry);
		if (state.qualifiedNow) {
			if (existed) memory.known.add(id);
			else memory.firstQualified.add(id);
		} else if (!existed || state.retract) {
			release.push(entry);
		} else {
			memory.known.add(id);
		}
	}
	if (release.length) await ctx.helpers.removeProcessed(release, SCOPE, OPTIONS);
	return memory;
}
