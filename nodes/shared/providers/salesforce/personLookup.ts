/**
 * Caller lookup on Salesforce in two requests per query at most: one SOSL for the batch's
 * phones (any stored format) and one for its emails, each returning contacts and unconverted
 * leads with the requested fields; then one SOQL for the open opportunities of the best
 * contacts' accounts. The last activity is Salesforce's own `LastActivityDate`.
 */
import { bestPerson, isoTime, rankPeople } from '../../logic/bestPerson';
import { soslFindClause } from '../../logic/escape';
import type { CrmRef } from '../../model';
import { chunk } from '../batch';
import type { MatchQuery, PersonLookup, PersonLookupOptions } from '../CrmProvider';
import type { SalesforceApi, SObjectRecord } from './api';
import { normaliseEmail } from './confirm';
import { confirmPerson, phoneTermGroups, toRef, validPhones } from './matching';
import { SALESFORCE_PROFILE } from './profile';
import { CONTACT_FIELDS, LEAD_FIELDS, opportunitiesByAccountSoql, selectList } from './soql';

const LAST_ACTIVITY = SALESFORCE_PROFILE.personLookup.lastActivityField;
/** Emails per SOSL: far below the search-query length limit. */
const EMAILS_PER_SEARCH = 20;
const ACCOUNTS_PER_SOQL = 200;

function returning(options: PersonLookupOptions): string {
	const contact = selectList([...CONTACT_FIELDS, LAST_ACTIVITY, ...options.fields]);
	const lead = selectList([...LEAD_FIELDS, LAST_ACTIVITY, ...options.leadFields]);
	return `RETURNING Contact(${contact}), Lead(${lead} WHERE IsConverted = false)`;
}

async function search(
	api: SalesforceApi,
	queries: readonly MatchQuery[],
	options: PersonLookupOptions,
): Promise<SObjectRecord[]> {
	const emails = [
		...new Set(
			queries
				.flatMap((query) => query.emails.map(normaliseEmail))
				.filter((email): email is string => !!email),
		),
	];
	const sosls = [
		...phoneTermGroups(queries).map(
			(terms) => `${soslFindClause(terms)} IN PHONE FIELDS ${returning(options)}`,
		),
		...chunk(emails, EMAILS_PER_SEARCH).map(
			(slice) => `${soslFindClause(slice)} IN EMAIL FIELDS ${returning(options)}`,
		),
	];
	const answers = await Promise.all(sosls.map((sosl) => api.search(sosl)));
	return answers.flatMap((answer) => answer.searchRecords);
}

function candidatesFor(query: MatchQuery, records: readonly SObjectRecord[]) {
	const phones = validPhones(query);
	const seen = new Set<string>();
	return records.flatMap((record) => {
		if (seen.has(record.Id)) return [];
		const kind = record.attributes?.type === 'Lead' ? 'lead' : 'contact';
		const matchedBy = confirmPerson(record, phones, query.emails);
		if (!matchedBy) return [];
		seen.add(record.Id);
		return [
			{ ref: toRef(kind, record, matchedBy), lastActivityAt: isoTime(record[LAST_ACTIVITY]) },
		];
	});
}

async function openDealsByAccount(
	api: SalesforceApi,
	accountIds: string[],
): Promise<SObjectRecord[]> {
	const pages = await Promise.all(
		chunk(accountIds, ACCOUNTS_PER_SOQL).map((slice) =>
			api.query<SObjectRecord>(opportunitiesByAccountSoql(slice, true)),
		),
	);
	return pages.flat();
}

export async function lookupPeople(
	api: SalesforceApi,
	queries: readonly MatchQuery[],
	options: PersonLookupOptions,
): Promise<PersonLookup[]> {
	if (queries.length === 0) return [];
	const records = await search(api, queries, options);
	const picks = queries.map((query) => {
		const candidates = candidatesFor(query, records);
		return { best: bestPerson(candidates), count: rankPeople(candidates).length };
	});
	const accountOf = (ref: CrmRef | undefined): string | undefined =>
		ref?.kind === 'contact' &&
		typeof ref.properties?.AccountId === 'string' &&
		ref.properties.AccountId !== ''
			? ref.properties.AccountId
			: undefined;
	const accountIds = [
		...new Set(picks.map((pick) => accountOf(pick.best?.ref)).filter((id): id is string => !!id)),
	];
	const opportunities =
		accountIds.length > 0 && options.maxOpenDeals > 0
			? await openDealsByAccount(api, accountIds)
			: [];
	return picks.map(({ best, count }) => {
		const account = accountOf(best?.ref);
		const openDeals = account
			? opportunities
					.filter((record) => record.AccountId === account && record.IsClosed !== true)
					.map((record) => toRef('deal', record, 'association'))
			: [];
		return {
			candidates: count,
			openDeals: openDeals.slice(0, options.maxOpenDeals),
			...(best ? { person: best.ref } : {}),
			...(best?.lastActivityAt ? { lastActivityAt: best.lastActivityAt } : {}),
		};
	});
}
