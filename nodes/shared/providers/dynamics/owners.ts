/** resolveOwners: CRM users by e-mail, in one systemusers query per 50 addresses. */
import { chunk } from '../batch';
import type { DynamicsClient } from './client';
import { anyOf, eq, queryPath } from './odata';

/** Keeps the query URL well under Dataverse's length limit. */
const EMAILS_PER_QUERY = 50;

export async function resolveOwners(
	client: DynamicsClient,
	emails: readonly string[],
): Promise<Map<string, string>> {
	const owners = new Map<string, string>();
	const wanted = [
		...new Set(
			emails.map((email) => email.trim().toLowerCase()).filter((email) => email.includes('@')),
		),
	];
	for (const slice of chunk(wanted, EMAILS_PER_QUERY)) {
		const filter = anyOf(slice.map((email) => eq('internalemailaddress', email)));
		const path = queryPath('systemusers', {
			select: ['systemuserid', 'internalemailaddress', 'isdisabled'],
			filter: `${filter} and isdisabled eq false`,
		});
		const page = await client.getJson<{ value?: Array<Record<string, unknown>> }>(
			path,
			'GET systemusers (resolve owners)',
		);
		for (const row of page.value ?? []) {
			const email =
				typeof row.internalemailaddress === 'string'
					? row.internalemailaddress.trim().toLowerCase()
					: undefined;
			// Confirm client-side: the filter is case-insensitive on the server, the map is keyed exactly.
			if (
				email &&
				slice.includes(email) &&
				typeof row.systemuserid === 'string' &&
				!owners.has(email)
			) {
				owners.set(email, row.systemuserid);
			}
		}
	}
	return owners;
}
