/**
 * Associations of listed records. A contact's and an opportunity's account are the AccountId
 * lookup read with the record itself; an opportunity's contacts are its contact roles, one
 * OpportunityContactRole query per 200 opportunities. Accounts and leads carry none.
 */
import { chunk } from '../batch';
import type { RecordAssociations, RecordData } from '../CrmProvider';
import type { SalesforceApi } from './api';
import { assertRecordId, soqlInList } from './soql';
import { SALESFORCE_PROFILE } from './profile';

const { objects } = SALESFORCE_PROFILE;

/** Opportunity ids per contact-role query: the IN list keeps the query URL short. */
const OPPORTUNITIES_PER_QUERY = 200;

/** The lookup field to ask for with the listing, so the account comes with the record. */
export function associationFields(objectType: string): string[] {
	return objectType === objects.contact.objectType || objectType === objects.deal.objectType
		? ['AccountId']
		: [];
}

function accountOf(record: RecordData): string[] {
	const id = record.properties.AccountId;
	return typeof id === 'string' && id !== '' ? [id] : [];
}

export async function withAssociations(
	api: SalesforceApi,
	objectType: string,
	records: RecordData[],
): Promise<RecordData[]> {
	if (objectType === objects.contact.objectType)
		return records.map((record) => ({ ...record, associations: { company: accountOf(record) } }));
	if (objectType !== objects.deal.objectType)
		return records.map((record) => ({ ...record, associations: {} }));
	const contacts = new Map<string, string[]>(records.map((record) => [record.id, []]));
	for (const batch of chunk(records, OPPORTUNITIES_PER_QUERY)) {
		const roles = await api.query<{ OpportunityId?: string; ContactId?: string }>(
			`SELECT OpportunityId, ContactId FROM OpportunityContactRole WHERE OpportunityId IN ${soqlInList(batch.map((record) => assertRecordId(record.id)))} ORDER BY OpportunityId, ContactId`,
		);
		for (const role of roles) {
			const list = role.OpportunityId ? contacts.get(role.OpportunityId) : undefined;
			if (list && role.ContactId && !list.includes(role.ContactId)) list.push(role.ContactId);
		}
	}
	return records.map((record) => {
		const associations: RecordAssociations = {
			company: accountOf(record),
			contact: contacts.get(record.id) ?? [],
		};
		return { ...record, associations };
	});
}
