/**
 * What CRM Link searches for: the external participants' phones (E.164), emails, and the
 * company domains behind those emails (free-mail domains never identify a company).
 * Internal participants (our own reps) are never matched. Values are sanitised before use.
 * A malformed value, or an external participant with nothing to match by, is reported back
 * as a warning naming that participant and field — the other participants still match —
 * instead of being silently dropped or failing the whole call.
 */
import type { CountryCode } from 'libphonenumber-js';

import type { MatchQuery } from '../providers/CrmProvider';
import type { Participant } from '../model';
import { companyDomainFromEmail, normalizeEmail } from './email';
import { normalizePhone } from './phone';
import { presentText, sanitizeText, singleLine } from './text';

/** How much of a participant's name a warning shows. */
const NAME_SHOWN = 60;

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

export function linkKeysFor(
	participants: readonly Participant[],
	options: LinkKeyOptions,
): LinkKeys {
	const phones: string[] = [];
	const emails: string[] = [];
	const domains: string[] = [];
	const warnings: string[] = [];

	participants.forEach((participant, index) => {
		if (participant.internal) return;
		const name = presentText(textOf(participant.name));
		const who = `participants[${index}]${name ? ` (${singleLine(name, NAME_SHOWN)})` : ''}`;
		const phoneText = presentText(textOf(participant.phone));
		const emailText = presentText(textOf(participant.email));
		if (phoneText === undefined && emailText === undefined) {
			warnings.push(`${who}: no phone number or email address to match by`);
			return;
		}
		if (options.usePhones && phoneText !== undefined) {
			const phone = normalizePhone(phoneText, options.defaultCountry);
			if (phone.ok) phones.push(phone.e164);
			else warnings.push(`${who}.phone: ${phone.reason}`);
		}
		if (emailText !== undefined) {
			const email = normalizeEmail(emailText);
			if (!email.ok) {
				warnings.push(`${who}.email: ${email.reason}`);
				return;
			}
			if (options.useEmails) emails.push(email.email);
			const domain = options.useDomains ? companyDomainFromEmail(email.email) : undefined;
			if (domain) domains.push(domain);
		}
	});

	// A reason quoting a value may have cut it mid-character: warnings are clean text too.
	return {
		query: { phones: unique(phones), emails: unique(emails), domains: unique(domains) },
		warnings: warnings.map(sanitizeText),
	};
}

/** Participants are usually parsed already; a caller passing raw JSON may hand over numbers. */
function textOf(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
}

export function hasKeys(query: MatchQuery): boolean {
	return query.phones.length + query.emails.length + query.domains.length > 0;
}
