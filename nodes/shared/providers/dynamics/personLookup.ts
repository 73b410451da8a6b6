/**
 * Caller lookup on Dataverse in two requests: one $batch with the contact and lead lookups of
 * every query, then one $batch with the open opportunities and the newest activities
 * (phone calls, tasks, appointments regarding the person) of each best match. Dataverse keeps
 * no last-activity column on contacts or leads, so the newest regarding activity stands in.
 */
import { bestPerson, isoTime, rankPeople, type PersonCandidate } from '../../logic/bestPerson';
import type { CrmRef } from '../../model';
import type { MatchQuery, PersonLookup, PersonLookupOptions } from '../CrmProvider';
import type { BatchGroup } from './batch';
import type { DynamicsClient } from './client';
import {
	confirmHit,
	lookupFilters,
	newestFirst,
	OPPORTUNITY_SELECT,
	opportunityFilters,
	rowsOf,
	SPECS,
	toRef,
	type BaseKind,
} from './matching';
import { eqGuid, queryPath } from './odata';

const PERSON_KINDS: BaseKind[] = ['contact', 'lead'];
/** The activity tables whose newest row regarding the person is its last activity. */
const ACTIVITY_SETS = ['phonecalls', 'tasks', 'appointments'];
const LOOKUP_TOP = 50;

function personSelect(kind: BaseKind, options: PersonLookupOptions): string[] {
	return [
		...new Set([
			...SPECS[kind].select,
			'firstname',
			'lastname',
			...(kind === 'lead' ? options.leadFields : options.fields),
		]),
	];
}

interface Lookup {
	query: number;
	kind: BaseKind;
}

async function findPeople(
	client: DynamicsClient,
	queries: readonly MatchQuery[],
	options: PersonLookupOptions,
): Promise<PersonCandidate[][]> {
	const lookups: Lookup[] = [];
	const groups: BatchGroup[] = [];
	queries.forEach((query, index) => {
		for (const kind of PERSON_KINDS) {
			const spec = SPECS[kind];
			for (const filter of lookupFilters(kind, query)) {
				const path = queryPath(spec.entitySet, {
					select: personSelect(kind, options),
					filter,
					orderBy: [{ field: 'createdon', desc: true }],
					top: LOOKUP_TOP,
				});
				lookups.push({ query: index, kind });
				groups.push({ kind: 'read', operation: { method: 'GET', url: client.url(path) } });
			}
		}
	});
	const found = queries.map(() => new Map<string, PersonCandidate>());
	if (groups.length === 0) return found.map(() => []);
	const label = 'POST $batch (look up contacts/leads)';
	const responses = await client.batch(groups, { label, idempotent: true });
	lookups.forEach((lookup, index) => {
		for (const row of rowsOf(label, responses[index]?.[0])) {
			const ref = confirmHit(lookup.kind, row, queries[lookup.query]);
			if (ref && !found[lookup.query].has(ref.id)) found[lookup.query].set(ref.id, { ref });
		}
	});
	return found.map((byId) => [...byId.values()]);
}

type Part = { person: string; kind: 'deals' } | { person: string; kind: 'activity' };

/** Open opportunities and newest activities of the chosen people, in one $batch. */
async function dealsAndActivities(
	client: DynamicsClient,
	people: CrmRef[],
	maxOpenDeals: number,
): Promise<{ deals: Map<string, CrmRef[]>; last: Map<string, string> }> {
	const parts: Part[] = [];
	const groups: BatchGroup[] = [];
	const get = (path: string) =>
		groups.push({ kind: 'read', operation: { method: 'GET', url: client.url(path) } });
	for (const person of people) {
		const account = person.kind === 'contact' ? accountOf(person) : undefined;
		if (person.kind === 'contact' && maxOpenDeals > 0) {
			for (const filter of opportunityFilters(account ? [account] : [], [person.id], true)) {
				parts.push({ person: person.id, kind: 'deals' });
				get(
					queryPath('opportunities', {
						select: OPPORTUNITY_SELECT,
						filter,
						orderBy: [{ field: 'createdon', desc: true }],
						top: maxOpenDeals,
					}),
				);
			}
		}
		for (const set of ACTIVITY_SETS) {
			parts.push({ person: person.id, kind: 'activity' });
			get(
				queryPath(set, {
					select: ['activityid', 'createdon'],
					filter: eqGuid('_regardingobjectid_value', person.id),
					orderBy: [{ field: 'createdon', desc: true }],
					top: 1,
				}),
			);
		}
	}
	const deals = new Map<string, CrmRef[]>();
	const last = new Map<string, string>();
	if (groups.length === 0) return { deals, last };
	const label = 'POST $batch (open opportunities and last activities)';
	const responses = await client.batch(groups, { label, idempotent: true });
	parts.forEach((part, index) => {
		const rows = rowsOf(label, responses[index]?.[0]);
		if (part.kind === 'deals') {
			const known = deals.get(part.person) ?? [];
			for (const row of rows.filter((candidate) => candidate.statecode === 0)) {
				const deal = toRef(
					'deal',
					'opportunity',
					String(row.opportunityid),
					row,
					'association',
					String(row.name ?? ''),
				);
				if (!known.some((existing) => existing.id === deal.id)) known.push(deal);
			}
			deals.set(part.person, known);
			return;
		}
		const newest = isoTime(rows[0]?.createdon);
		const before = last.get(part.person);
		if (newest && (!before || newest > before)) last.set(part.person, newest);
	});
	return { deals, last };
}

function accountOf(person: CrmRef): string | undefined {
	const parent = person.properties?._parentcustomerid_value;
	return typeof parent === 'string' && parent !== '' ? parent : undefined;
}

export async function lookupPeople(
	client: DynamicsClient,
	queries: readonly MatchQuery[],
	options: PersonLookupOptions,
): Promise<PersonLookup[]> {
	const candidates = await findPeople(client, queries, options);
	const best = candidates.map((list) => bestPerson(list)?.ref);
	const chosen = [
		...new Map(best.flatMap((ref) => (ref ? [[ref.id, ref] as const] : []))).values(),
	];
	const { deals, last } =
		chosen.length > 0
			? await dealsAndActivities(client, chosen, options.maxOpenDeals)
			: { deals: new Map<string, CrmRef[]>(), last: new Map<string, string>() };
	return best.map((person, index) => {
		if (!person) return { candidates: 0, openDeals: [] };
		const lastActivityAt = last.get(person.id);
		return {
			person,
			candidates: rankPeople(candidates[index]).length,
			openDeals: newestFirst(deals.get(person.id) ?? []).slice(0, options.maxOpenDeals),
			...(lastActivityAt ? { lastActivityAt } : {}),
		};
	});
}
