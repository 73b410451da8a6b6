/**
 * Which companies a call matches on HubSpot, decided without I/O. Companies come from two
 * sources: the primary company of each matched contact (read by id from the contact's
 * `associatedcompanyid`, no search), and a domain search only for the e-mail domains none of
 * those companies holds. So the usual call — participants at one company — costs a batch
 * read instead of a search. Trade-off: when two companies share a domain and one of them is
 * a matched contact's primary company, the other is not searched for.
 */
import type { CrmRef } from '../../model';
import type { HubSpotObject } from './client';

/** `https://www.Acme.com/about` → `acme.com`. */
export function cleanDomain(domain: string): string {
	return domain
		.trim()
		.toLowerCase()
		.replace(/^[a-z]+:\/\//, '')
		.replace(/^www\./, '')
		.replace(/[/?#].*$/, '')
		.replace(/\.$/, '');
}

/** The company's own domain, cleaned, or undefined when it has none. */
export function companyDomain(company: HubSpotObject): string | undefined {
	const domain = company.properties.domain;
	return domain ? cleanDomain(domain) || undefined : undefined;
}

/** The primary company ids of matched contacts, each once. */
export function primaryCompanyIds(contacts: readonly CrmRef[]): string[] {
	const ids = contacts.map((contact) => contact.properties?.associatedcompanyid);
	return [...new Set(ids.filter((id): id is string => typeof id === 'string' && /^\d+$/.test(id)))];
}

/** The domains (cleaned, each once) that no already-read company holds: these still need a search. */
export function uncoveredDomains(
	domains: readonly string[],
	companies: readonly HubSpotObject[],
): string[] {
	const covered = new Set(companies.map(companyDomain));
	return [...new Set(domains.map(cleanDomain))].filter(
		(domain) => domain !== '' && !covered.has(domain),
	);
}

/**
 * The companies one item matches, with how: `domain` when the company's domain is one of the
 * item's, `association` when it is the primary company of one of the item's matched contacts.
 */
export function companiesOfItem(
	domains: readonly string[],
	contacts: readonly CrmRef[],
	companies: readonly HubSpotObject[],
): Array<{ company: HubSpotObject; matchedBy: 'domain' | 'association' }> {
	const wanted = new Set(domains.map(cleanDomain));
	const primaries = new Set(primaryCompanyIds(contacts));
	const seen = new Set<string>();
	const result: Array<{ company: HubSpotObject; matchedBy: 'domain' | 'association' }> = [];
	for (const company of companies) {
		if (seen.has(company.id)) continue;
		const domain = companyDomain(company);
		const matchedBy =
			domain !== undefined && wanted.has(domain)
				? 'domain'
				: primaries.has(company.id)
					? 'association'
					: undefined;
		if (!matchedBy) continue;
		seen.add(company.id);
		result.push({ company, matchedBy });
	}
	return result;
}
