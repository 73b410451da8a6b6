/** Owner ids for e-mail addresses: one SOQL on active Users per 200 addresses. */
import { chunk } from '../batch';
import type { SalesforceApi, SObjectRecord } from './api';
import { normaliseEmail } from './confirm';
import { activeUsersByEmailSoql } from './soql';

const EMAILS_PER_SOQL = 200;

export async function resolveOwners(
	api: SalesforceApi,
	emails: string[],
): Promise<Map<string, string>> {
	const wanted = [
		...new Set(emails.map(normaliseEmail).filter((email): email is string => email !== undefined)),
	];
	const pages = await Promise.all(
		chunk(wanted, EMAILS_PER_SOQL).map((slice) =>
			api.query<SObjectRecord>(activeUsersByEmailSoql(slice)),
		),
	);
	const owners = new Map<string, string>();
	for (const user of pages.flat()) {
		const email = normaliseEmail(user.Email);
		// Salesforce matches Email case-insensitively; keep the first active user per address.
		if (email && wanted.includes(email) && !owners.has(email)) owners.set(email, user.Id);
	}
	return owners;
}
