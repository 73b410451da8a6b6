/**
 * What CRM Link searches for: the external participants' phones (E.164), emails, and the
 * company domains behind those emails (free-mail domains never identify a company).
 * Internal participants (our own reps) are never matched. Unusable values are reported
 * back, not silently dropped, so the user sees why a call did not match.
 */
import type { CountryCode } from 'libphonenumber-js';

import type { MatchQuery } from '../providers/CrmProvider';
import type { Participant } from '../model';
import { companyDomainFromEmail, normalizeEmail } from './email';
import { normalizePhone } from './phone';

export interface LinkKeys {
	query: MatchQuery;
	/** One line per value that could not be used, naming the participant and field. */
	warnings: string[];
}

export interface LinkKeyOptions {
	defaultCountry?: CountryCode;
	usePhones: boolean;
	useEmails: boolean;
	useDomains: boolean;
}

function unique(values: string[]): string[] {
	return [...new Set(values)];
}

export function linkKeysFor(participants: readonly Participant[], options: LinkKeyOptions): LinkKeys {
	const phones: string[] = [];
	const emails: string[] = [];
	const domains: string[] = [];
	const warnings: string[] = [];

	participants.forEach((participant, index) => {
		if (participant.internal) return;
		const who = `participants[${index}]${participant.name ? ` (${participant.name})` : ''}`;
		if (options.usePhones && participant.phone) {
			const phone = normalizePhone(participant.phone, options.defaultCountry);
			if (phone.ok) phones.push(phone.e164);
			else warnings.push(`${who}.phone: ${phone.reason}`);
		}
		if (participant.email) {
			const email = normalizeEmail(participant.email);
			if (!email.ok) {
				warnings.push(`${who}.email: ${email.reason}`);
				return;
			}
			if (options.useEmails) emails.push(email.email);
			const domain = options.useDomains ? companyDomainFromEmail(email.email) : undefined;
			if (domain) domains.push(domain);
		}
	});

	return { query: { phones: unique(phones), emails: unique(emails), domains: unique(domains) }, warnings };
}

export function hasKeys(query: MatchQuery): boolean {
	return query.phones.length + query.emails.length + query.domains.length > 0;
}
