/** Loads the neutral demo data as HubSpot records with fixed numeric ids. */
import type { VendorContext } from '../../core/types';
import {
	DEMO_COMPANIES,
	DEMO_CONTACTS,
	DEMO_CREATED_AT,
	DEMO_DEALS,
	DEMO_OWNERS,
} from '../../seed/demoData';
import { mirrorPrimaryCompany, PRIMARY_COMPANY_TYPE_ID } from './associations';
import {
	associationType,
	defaultAssociationType,
	type AssociationType,
	type HubSpotObjectType,
} from './objectTypes';
import { applyDerived } from './records';

const ownerId = (index: number) => String(81_001 + index);
const companyId = (index: number) => String(61_001 + index);
const contactId = (index: number) => String(51_001 + index);
const dealId = (index: number) => String(71_001 + index);

export const SEEDED_OWNER_IDS = DEMO_OWNERS.map((_, i) => ownerId(i));

/** Seeded HubSpot ids by demo key, for tests and e2e fixtures. */
export const HUBSPOT_SEED_IDS = {
	owners: Object.fromEntries(DEMO_OWNERS.map((o, i) => [o.key, ownerId(i)])),
	companies: Object.fromEntries(DEMO_COMPANIES.map((c, i) => [c.key, companyId(i)])),
	contacts: Object.fromEntries(DEMO_CONTACTS.map((c, i) => [c.key, contactId(i)])),
	deals: Object.fromEntries(DEMO_DEALS.map((d, i) => [d.key, dealId(i)])),
};

const DEAL_STAGES = {
	qualification: 'qualifiedtobuy',
	proposal: 'presentationscheduled',
	closed_won: 'closedwon',
	closed_lost: 'closedlost',
} as const;

export function seedHubSpot(ctx: VendorContext): void {
	const { store } = ctx;
	const put = (type: HubSpotObjectType, id: string, fields: Record<string, unknown>) => {
		const record = store.insert('hubspot', type, id, fields, DEMO_CREATED_AT);
		applyDerived(type, record);
	};
	const link = (
		fromType: HubSpotObjectType,
		fromId: string,
		toType: HubSpotObjectType,
		toId: string,
		type: AssociationType = defaultAssociationType(fromType, toType)!,
	) => {
		mirrorPrimaryCompany(store, fromType, fromId, type, toId);
		store.link('hubspot', {
			fromType,
			fromId,
			toType,
			toId,
			typeId: type.typeId,
			category: 'HUBSPOT_DEFINED',
		});
		store.link('hubspot', {
			fromType: toType,
			fromId: toId,
			toType: fromType,
			toId: fromId,
			typeId: type.inverseTypeId,
			category: 'HUBSPOT_DEFINED',
		});
	};

	DEMO_OWNERS.forEach((o, i) =>
		store.insert(
			'hubspot',
			'owners',
			ownerId(i),
			{ email: o.email, firstName: o.firstName, lastName: o.lastName, userId: 9_100_001 + i },
			DEMO_CREATED_AT,
		),
	);
	DEMO_COMPANIES.forEach((c, i) =>
		put('companies', companyId(i), {
			name: c.name,
			domain: c.domain,
			phone: c.phone,
			city: c.city,
			industry: c.industry,
			lifecyclestage: 'customer',
		}),
	);
	DEMO_CONTACTS.forEach((c, i) => {
		const company = DEMO_COMPANIES.findIndex((co) => co.key === c.companyKey);
		const fields: Record<string, unknown> = {
			firstname: c.firstName,
			lastname: c.lastName,
			email: c.email,
			jobtitle: c.jobTitle,
			company: DEMO_COMPANIES[company].name,
			lifecyclestage: 'customer',
			hs_lead_status: 'OPEN',
			hubspot_owner_id: HUBSPOT_SEED_IDS.owners[c.ownerKey],
		};
		if (c.phone) fields.phone = c.phone;
		if (c.mobilePhone) fields.mobilephone = c.mobilePhone;
		if (c.lastActivityAt) fields.notes_last_updated = c.lastActivityAt;
		put('contacts', contactId(i), fields);
		link('contacts', contactId(i), 'companies', companyId(company));
		// Like a contact HubSpot associates by its e-mail domain: the company is also its primary.
		link(
			'contacts',
			contactId(i),
			'companies',
			companyId(company),
			associationType('contacts', PRIMARY_COMPANY_TYPE_ID)!,
		);
	});
	DEMO_DEALS.forEach((d, i) => {
		put('deals', dealId(i), {
			dealname: d.name,
			amount: String(d.amount),
			dealstage: DEAL_STAGES[d.stage],
			pipeline: 'default',
			closedate: `${d.closeDate}T00:00:00.000Z`,
			hubspot_owner_id: HUBSPOT_SEED_IDS.owners[d.ownerKey],
		});
		link('deals', dealId(i), 'companies', HUBSPOT_SEED_IDS.companies[d.companyKey]);
		for (const contactKey of d.contactKeys)
			link('deals', dealId(i), 'contacts', HUBSPOT_SEED_IDS.contacts[contactKey]);
	});
}
