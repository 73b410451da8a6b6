/**
 * What the lookup answers for one key: a flat, prompt-ready record (first name, company,
 * owner, open deals, last activity in words) or `found: false`. Pure, so the same answer
 * shape holds for every CRM and for the platform contact store.
 */
import type { IDataObject } from 'n8n-workflow';

import type { CrmRef } from '../../shared/model';
import type { PersonLookup } from '../../shared/providers/CrmProvider';
import type { ContactFieldMap } from '../../shared/providers/profile';

export interface AnswerContext {
	source: 'crm' | 'platform';
	crm: string;
	by: 'phone' | 'email';
	value: string;
	contactFields: ContactFieldMap;
	/** The CRM field names asked for under "Fields"; returned under `fields`. */
	fields: readonly string[];
	/** The CRM field the company name is read from (where the person record holds one). */
	companyField?: string;
	now: number;
}

function str(value: unknown): string | undefined {
	if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return undefined;
}

const DAY_MS = 86_400_000;

/** "today", "yesterday", "12 days ago" — how an agent would say it. */
export function ageInWords(iso: string, now: number): string | undefined {
	const at = Date.parse(iso);
	if (Number.isNaN(at)) return undefined;
	const days = Math.floor((now - at) / DAY_MS);
	if (days <= 0) return 'today';
	if (days === 1) return 'yesterday';
	return `${days} days ago`;
}

function dealView(deal: CrmRef): IDataObject {
	const view: IDataObject = { id: deal.id };
	if (deal.name) view.name = deal.name;
	if (deal.createdAt) view.createdAt = deal.createdAt;
	return view;
}

export function lookupAnswer(
	result: PersonLookup | undefined,
	context: AnswerContext,
): IDataObject {
	const base: IDataObject = {
		found: false,
		source: context.source,
		crm: context.crm,
		lookedUpBy: context.by,
		lookedUpValue: context.value,
	};
	const person = result?.person;
	if (!result || !person) return { ...base, candidates: 0 };
	const props = person.properties ?? {};
	const firstName = str(props[context.contactFields.firstName]);
	const lastName = str(props[context.contactFields.lastName]);
	const name = person.name ?? ([firstName, lastName].filter(Boolean).join(' ') || undefined);
	const phone = context.contactFields.phones.map((field) => str(props[field])).find(Boolean);
	const company = context.companyField ? str(props[context.companyField]) : undefined;
	const fields: IDataObject = {};
	for (const field of context.fields) fields[field] = props[field] ?? null;
	const answer: IDataObject = {
		...base,
		found: true,
		candidates: result.candidates,
		person: {
			id: person.id,
			kind: person.kind,
			objectType: person.objectType,
			matchedBy: person.matchedBy ?? context.by,
			...(name ? { name } : {}),
			...(firstName ? { firstName } : {}),
			...(lastName ? { lastName } : {}),
			...(str(props[context.contactFields.email])
				? { email: str(props[context.contactFields.email]) }
				: {}),
			...(phone ? { phone } : {}),
			...(company ? { company } : {}),
			fields,
		},
		owner: person.ownerId ? { id: person.ownerId } : null,
		openDeals: result.openDeals.map(dealView),
		openDealCount: result.openDeals.length,
	};
	if (result.lastActivityAt) {
		answer.lastActivityAt = result.lastActivityAt;
		answer.lastActivitySummary = `Last activity ${result.lastActivityAt.slice(0, 10)} (${ageInWords(result.lastActivityAt, context.now) ?? 'date unknown'})`;
	} else {
		answer.lastActivitySummary = 'No activity recorded';
	}
	return answer;
}
