/**
 * Notes as Composite Graphs, one graph per note: a ContentNote and its ContentDocumentLinks
 * (or, legacy style, one Note per target) are stored together or not at all. So a note exists
 * exactly when one of its targets links to it, which SOQL sees at once:
 * - ContentNote: links from the targets to notes (FileType SNOTE) with the note's title, then
 *   each candidate's content, confirmed by the note's `Ref: <key>` line;
 * - legacy Note: Notes on the targets with the note's title, confirmed by the Ref line of Body.
 * The same lookup verifies a graph request whose answer was lost.
 */
import { chunk } from '../batch';
import type { KeyLookupResult, WriteResult } from '../CrmProvider';
import type { ActivityDraft, CrmRef } from '../../model';
import type { SalesforceApi, SObjectRecord } from './api';
import { carriesRef, contentNoteFields, legacyNoteFields } from './activityRecords';
import { writeGraphs, type GraphNode, type PlannedGraph } from './graph';
import { assertRecordId, isRecordId, legacyNotesSoql, noteLinksSoql } from './soql';

export type NoteStyle = 'contentNote' | 'legacyNote';

/** Drafts per lookup query, so the query text stays far below Salesforce's length limit. */
const LOOKUP_CHUNK = 50;

export function linkTargets(draft: ActivityDraft): CrmRef[] {
	const seen = new Set<string>();
	return draft.targets.filter((target) =>
		seen.has(target.id) ? false : (seen.add(target.id), true),
	);
}

const NO_TARGET = 'A note needs at least one target record to be attached to';

export function sobjectUrl(apiVersion: string, type: string): string {
	return `/services/data/v${apiVersion}/sobjects/${type}`;
}

/** One all-or-nothing graph for the draft at `index` (graph and reference ids derive from it). */
export function noteGraph(
	draft: ActivityDraft,
	index: number,
	style: NoteStyle,
	apiVersion: string,
): PlannedGraph {
	const targets = linkTargets(draft);
	const note = `note${index}`;
	const labels: Record<string, string> = {};
	const nodes: GraphNode[] = [];
	if (style === 'legacyNote') {
		targets.forEach((target, j) => {
			const referenceId = `${note}_${j}`;
			labels[referenceId] = `the note on ${target.id}`;
			nodes.push({
				method: 'POST',
				url: sobjectUrl(apiVersion, 'Note'),
				referenceId,
				body: legacyNoteFields(draft, target.id),
			});
		});
		return {
			graph: { graphId: `g${index}`, compositeRequest: nodes },
			primary: `${note}_0`,
			labels,
		};
	}
	labels[note] = 'the note';
	nodes.push({
		method: 'POST',
		url: sobjectUrl(apiVersion, 'ContentNote'),
		referenceId: note,
		body: contentNoteFields(draft),
	});
	targets.forEach((target, j) => {
		const referenceId = `${note}_link${j}`;
		labels[referenceId] = `the note's link to ${target.id}`;
		// ContentNote ids are ContentDocument ids.
		nodes.push({
			method: 'POST',
			url: sobjectUrl(apiVersion, 'ContentDocumentLink'),
			referenceId,
			body: { ContentDocumentId: `@{${note}.id}`, LinkedEntityId: target.id, ShareType: 'V' },
		});
	});
	return { graph: { graphId: `g${index}`, compositeRequest: nodes }, primary: note, labels };
}

export async function createNotes(
	api: SalesforceApi,
	drafts: ActivityDraft[],
	style: NoteStyle,
): Promise<WriteResult[]> {
	const results = new Array<WriteResult>(drafts.length);
	const sendable: number[] = [];
	drafts.forEach((draft, i) => {
		if (linkTargets(draft).length > 0) sendable.push(i);
		else results[i] = { ok: false, error: { message: NO_TARGET } };
	});
	const planned = sendable.map((i) => noteGraph(drafts[i], i, style, api.apiVersion));
	const draftOf = new Map(planned.map((graph, j) => [graph, drafts[sendable[j]]]));
	const written = await writeGraphs(api, planned, (graphs) =>
		findNotes(
			api,
			graphs.map((graph) => draftOf.get(graph) as ActivityDraft),
			style,
		),
	);
	written.forEach((result, j) => (results[sendable[j]] = result));
	return results;
}

const ENTITIES: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	nbsp: ' ',
};

function decodeEntity(match: string, name: string): string {
	if (!name.startsWith('#')) return ENTITIES[name.toLowerCase()] ?? match;
	const code = /^#x/i.test(name) ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
	// A note edited in Salesforce may hold any text: leave what is no character as it is.
	return code <= 0x10ffff ? String.fromCodePoint(code) : match;
}

/** A ContentNote's HTML as text: paragraphs and breaks become lines, tags go, entities are decoded. */
export function noteText(html: string): string {
	return html
		.replace(/<\s*br\s*\/?\s*>/gi, '\n')
		.replace(/<\/\s*(?:p|div|li|h[1-6])\s*>/gi, '\n')
		.replace(/<[^>]*>/g, '')
		.replace(/&(#[0-9]{1,7}|#x[0-9a-f]{1,6}|[a-z]+);/gi, decodeEntity);
}

/**
 * found: a note with the key is on every target of the draft; absent: on none of them;
 * unknown: only on some (written for another set of targets — neither "written" nor "absent" is true).
 */
function verdict(
	key: string,
	targets: string[],
	coverage: Array<{ id: string; on: Set<string> }>,
): KeyLookupResult {
	if (coverage.length === 0) return { status: 'absent' };
	const full = coverage.find((candidate) => targets.every((target) => candidate.on.has(target)));
	if (full) return { status: 'found', id: full.id };
	const on = [...new Set(coverage.flatMap((candidate) => [...candidate.on]))];
	const missing = targets.filter((target) => !on.includes(target));
	const where =
		missing.length > 0
			? `is on ${on.join(', ')} but not on ${missing.join(', ')}`
			: `is on several notes, none on all of ${targets.join(', ')}`;
	return {
		status: 'unknown',
		reason: `a note with key ${key} ${where}; it was written for other targets`,
	};
}

function sameTitle(a: unknown, b: string): boolean {
	return typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
}

interface NoteLink {
	ContentDocumentId: string;
	LinkedEntityId: string;
	ContentDocument?: { Title?: unknown } | null;
}

async function findContentNotes(
	api: SalesforceApi,
	drafts: ActivityDraft[],
): Promise<KeyLookupResult[]> {
	const titles = drafts.map((draft) => String(contentNoteFields(draft).Title));
	const targets = drafts.map((draft) => linkTargets(draft).map((target) => target.id));
	const links = await api.query<NoteLink>(
		noteLinksSoql([...new Set(targets.flat())], [...new Set(titles)]),
	);
	const candidatesOf = drafts.map((_, i) =>
		links.filter(
			(link) =>
				targets[i].includes(link.LinkedEntityId) &&
				sameTitle(link.ContentDocument?.Title, titles[i]),
		),
	);
	const documents = [
		...new Set(candidatesOf.flat().map((link) => assertRecordId(link.ContentDocumentId))),
	].sort();
	const texts = new Map(
		await Promise.all(
			documents.map(
				async (id) =>
					[
						id,
						noteText(
							await api.getBlobText(
								`/sobjects/ContentNote/${id}/Content`,
								'GET /sobjects/ContentNote/{id}/Content',
							),
						),
					] as const,
			),
		),
	);
	return drafts.map((draft, i) => {
		const byDocument = new Map<string, Set<string>>();
		for (const link of candidatesOf[i]) {
			if (!carriesRef(texts.get(link.ContentDocumentId), draft.key)) continue;
			byDocument.set(
				link.ContentDocumentId,
				(byDocument.get(link.ContentDocumentId) ?? new Set()).add(link.LinkedEntityId),
			);
		}
		return verdict(
			draft.key,
			targets[i],
			[...byDocument].map(([id, on]) => ({ id, on })),
		);
	});
}

async function findLegacyNotes(
	api: SalesforceApi,
	drafts: ActivityDraft[],
): Promise<KeyLookupResult[]> {
	const titles = drafts.map((draft) => String(legacyNoteFields(draft, '').Title));
	const targets = drafts.map((draft) => linkTargets(draft).map((target) => target.id));
	const notes = await api.query<SObjectRecord>(
		legacyNotesSoql([...new Set(targets.flat())], [...new Set(titles)]),
	);
	return drafts.map((draft, i) => {
		// One Note per target; the draft's id is the first target's Note, as when it was created.
		const mine = notes.filter(
			(note) =>
				sameTitle(note.Title, titles[i]) &&
				carriesRef(note.Body, draft.key) &&
				targets[i].includes(String(note.ParentId)),
		);
		const byTarget = targets[i].map((target) => mine.find((note) => note.ParentId === target));
		const some = byTarget[0] ?? byTarget.find((note) => note !== undefined);
		const on = new Set(targets[i].filter((_, j) => byTarget[j] !== undefined));
		return verdict(draft.key, targets[i], some ? [{ id: some.Id, on }] : []);
	});
}

/** Whether each note draft was written (found / absent / unknown), by consistent reads only. */
export async function findNotes(
	api: SalesforceApi,
	drafts: ActivityDraft[],
	style: NoteStyle,
): Promise<KeyLookupResult[]> {
	const results = new Array<KeyLookupResult>(drafts.length);
	const withTargets = drafts.flatMap((draft, i) => {
		// A note without targets is never sent, and one on a malformed id is refused whole: neither can exist.
		const targets = linkTargets(draft);
		if (targets.length > 0 && targets.every((target) => isRecordId(target.id))) return [i];
		results[i] = { status: 'absent' };
		return [];
	});
	const find = style === 'legacyNote' ? findLegacyNotes : findContentNotes;
	await Promise.all(
		chunk(withTargets, LOOKUP_CHUNK).map(async (indices) => {
			const found = await find(
				api,
				indices.map((i) => drafts[i]),
			);
			found.forEach((result, j) => (results[indices[j]] = result));
		}),
	);
	return results;
}
