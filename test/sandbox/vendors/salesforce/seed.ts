/** The neutral demo data as Salesforce records with deterministic 18-character ids. */
import type { VendorContext } from '../../core/types';
import {
	DEMO_COMPANIES,
	DEMO_CONTACTS,
	DEMO_CREATED_AT,
	DEMO_DEALS,
	DEMO_LEADS,
	DEMO_OWNERS,
} from '../../seed/demoData';
import { salesforceId } from './ids';

/** The API (integration) user the sandbox's tokens act as; owner of records created without OwnerId. */
export const SALESFORCE_API_USER_ID = salesforceId('User', 1);

const byKey = (type: string, keys: readonly { key: string }[], offset: number) =>
	Object.fromEntries(keys.map((item, i) => [item.key, salesforceId(type, offset + i)]));

/** Seeded Salesforce ids by demo key, for tests and fixtures. */
export const SALESFORCE_SEED_IDS = {
	users: byKey('User', DEMO_OWNERS, 2),
	accounts: byKey('Account', DEMO_COMPANIES, 1),
	contacts: byKey('Contact', DEMO_CONTACTS, 1),
	opportunities: byKey('Opportunity', DEMO_DEALS, 1),
	leads: byKey('Lead', DEMO_LEADS, 1),
};

const STAGES = {
	qualification: 'Qualification',
	proposal: 'Proposal/Price Quote',
	closed_won: 'Closed Won',
	closed_lost: 'Closed Lost',
} as const;
const LEAD_STATUS = {
	new: 'Open - Not Contacted',
	working: 'Working - Contacted',
	qualified: 'Closed - Converted',
} as const;

export function seedSalesforce(ctx: VendorContext): void {
	const put = (type: string, id: string, fields: Record<string, unknown>) =>
		ctx.store.insert('salesforce', type, id, fields, DEMO_CREATED_AT);
	put('User', SALESFORCE_API_USER_ID, {
		FirstName: 'Integration',
		LastName: 'User',
		Email: 'integration@sandbox.example',
		Username: 'integration@sandbox.example',
		IsActive: true,
	});
	DEMO_OWNERS.forEach((owner) =>
		put('User', SALESFORCE_SEED_IDS.users[owner.key], {
			FirstName: owner.firstName,
			LastName: owner.lastName,
			Email: owner.email,
			Username: owner.email,
			IsActive: true,
		}),
	);
	DEMO_COMPANIES.forEach((company) =>
		put('Account', SALESFORCE_SEED_IDS.accounts[company.key], {
			Name: company.name,
			Phone: company.phone,
			Website: `www.${company.domain}`,
			Industry: company.industry,
			BillingCity: company.city,
			OwnerId: SALESFORCE_API_USER_ID,
		}),
	);
	DEMO_CONTACTS.forEach((contact) =>
		put('Contact', SALESFORCE_SEED_IDS.contacts[contact.key], {
			FirstName: contact.firstName,
			LastName: contact.lastName,
			Email: contact.email,
			Phone: contact.phone ?? null,
			MobilePhone: contact.mobilePhone ?? null,
			Title: contact.jobTitle,
			LastActivityDate: contact.lastActivityAt?.slice(0, 10) ?? null,
			AccountId: SALESFORCE_SEED_IDS.accounts[contact.companyKey],
			OwnerId: SALESFORCE_SEED_IDS.users[contact.ownerKey],
		}),
	);
	let role = 0;
	DEMO_DEALS.forEach((deal) => {
		const id = SALESFORCE_SEED_IDS.opportunities[deal.key];
		put('Opportunity', id, {
			Name: deal.name,
			Amount: deal.amount,
			StageName: STAGES[deal.stage],
			CloseDate: deal.closeDate,
			AccountId: SALESFORCE_SEED_IDS.accounts[deal.companyKey],
			ContactId: SALESFORCE_SEED_IDS.contacts[deal.contactKeys[0]],
			OwnerId: SALESFORCE_SEED_IDS.users[deal.ownerKey],
		});
		deal.contactKeys.forEach((contactKey, i) =>
			put('OpportunityContactRole', salesforceId('OpportunityContactRole', ++role), {
				OpportunityId: id,
				ContactId: SALESFORCE_SEED_IDS.contacts[contactKey],
				Role: i === 0 ? 'Decision Maker' : 'Influencer',
				IsPrimary: i === 0,
			}),
		);
	});
	DEMO_LEADS.forEach((lead) =>
		put('Lead', SALESFORCE_SEED_IDS.leads[lead.key], {
			FirstName: lead.firstName,
			LastName: lead.lastName,
			Email: lead.email,
			Phone: lead.phone,
			Company: lead.company,
			Status: LEAD_STATUS[lead.status],
			IsConverted: false,
			OwnerId: SALESFORCE_API_USER_ID,
		}),
	);
}
