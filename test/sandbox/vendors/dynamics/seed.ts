/** The neutral demo data as Dataverse rows with deterministic GUIDs. */
import type { VendorContext } from '../../core/types';
import {
	DEMO_COMPANIES,
	DEMO_CONTACTS,
	DEMO_CREATED_AT,
	DEMO_DEALS,
	DEMO_LEADS,
	DEMO_OWNERS,
} from '../../seed/demoData';
import { LOGICAL_NAME_ANNOTATION } from './rows';

/** `<prefix>0000000-0000-4000-8000-<12-digit n>`: one hex prefix per table keeps ids readable. */
export const dataverseGuid = (prefix: string, n: number): string =>
	`${prefix}0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const byKey = (prefix: string, items: readonly { key: string }[]) =>
	Object.fromEntries(items.map((item, i) => [item.key, dataverseGuid(prefix, i + 1)]));

export const DYNAMICS_API_USER_ID = dataverseGuid('d', 1);
export const DYNAMICS_ORGANIZATION_ID = dataverseGuid('f', 1);
export const DYNAMICS_BUSINESS_UNIT_ID = dataverseGuid('f', 2);

/** Seeded Dataverse ids by demo key. */
export const DYNAMICS_SEED_IDS = {
	users: Object.fromEntries(DEMO_OWNERS.map((owner, i) => [owner.key, dataverseGuid('d', i + 2)])),
	accounts: byKey('a', DEMO_COMPANIES),
	contacts: byKey('c', DEMO_CONTACTS),
	opportunities: byKey('b', DEMO_DEALS),
	leads: byKey('e', DEMO_LEADS),
};

const INDUSTRY: Record<string, number> = { Energy: 1, Manufacturing: 2, Software: 3, Retail: 4 };
const DEAL_STATE = {
	qualification: [0, 1],
	proposal: [0, 1],
	closed_won: [1, 3],
	closed_lost: [2, 4],
} as const;
const LEAD_STATE = { new: [0, 1], working: [0, 2], qualified: [1, 3] } as const;

function lookup(column: string, entity: string, id: string): Record<string, unknown> {
	return { [`_${column}_value`]: id, [`_${column}_value${LOGICAL_NAME_ANNOTATION}`]: entity };
}

export function seedDynamics(ctx: VendorContext): void {
	const put = (entity: string, id: string, fields: Record<string, unknown>) =>
		ctx.store.insert('dynamics', entity, id, fields, DEMO_CREATED_AT);
	const owner = (key: string) => lookup('ownerid', 'systemuser', DYNAMICS_SEED_IDS.users[key]);
	const apiOwner = lookup('ownerid', 'systemuser', DYNAMICS_API_USER_ID);
	put('systemuser', DYNAMICS_API_USER_ID, {
		firstname: 'CRM Sync',
		lastname: 'Application',
		internalemailaddress: 'crm-sync-app@sandbox.example',
		domainname: 'crm-sync-app',
		isdisabled: false,
	});
	DEMO_OWNERS.forEach((o) =>
		put('systemuser', DYNAMICS_SEED_IDS.users[o.key], {
			firstname: o.firstName,
			lastname: o.lastName,
			internalemailaddress: o.email,
			domainname: o.email,
			isdisabled: false,
		}),
	);
	DEMO_COMPANIES.forEach((c) =>
		put('account', DYNAMICS_SEED_IDS.accounts[c.key], {
			name: c.name,
			telephone1: c.phone,
			websiteurl: `https://www.${c.domain}`,
			emailaddress1: `info@${c.domain}`,
			address1_city: c.city,
			industrycode: INDUSTRY[c.industry] ?? null,
			statecode: 0,
			statuscode: 1,
			...apiOwner,
		}),
	);
	DEMO_CONTACTS.forEach((c) =>
		put('contact', DYNAMICS_SEED_IDS.contacts[c.key], {
			firstname: c.firstName,
			lastname: c.lastName,
			emailaddress1: c.email,
			telephone1: c.phone ?? null,
			mobilephone: c.mobilePhone ?? null,
			jobtitle: c.jobTitle,
			statecode: 0,
			statuscode: 1,
			...lookup('parentcustomerid', 'account', DYNAMICS_SEED_IDS.accounts[c.companyKey]),
			...owner(c.ownerKey),
		}),
	);
	DEMO_DEALS.forEach((d) => {
		const [state, status] = DEAL_STATE[d.stage];
		put('opportunity', DYNAMICS_SEED_IDS.opportunities[d.key], {
			name: d.name,
			estimatedvalue: d.amount,
			estimatedclosedate: d.closeDate,
			statecode: state,
			statuscode: status,
			...lookup('parentaccountid', 'account', DYNAMICS_SEED_IDS.accounts[d.companyKey]),
			...lookup('customerid', 'account', DYNAMICS_SEED_IDS.accounts[d.companyKey]),
			// Dataverse has one parent contact per opportunity: the first demo contact.
			...lookup('parentcontactid', 'contact', DYNAMICS_SEED_IDS.contacts[d.contactKeys[0]]),
			...owner(d.ownerKey),
		});
	});
	DEMO_LEADS.forEach((l) => {
		const [state, status] = LEAD_STATE[l.status];
		put('lead', DYNAMICS_SEED_IDS.leads[l.key], {
			firstname: l.firstName,
			lastname: l.lastName,
			emailaddress1: l.email,
			telephone1: l.phone,
			companyname: l.company,
			subject: `Interest from ${l.company}`,
			statecode: state,
			statuscode: status,
			...apiOwner,
		});
	});
}
