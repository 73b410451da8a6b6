/**
 * CRM Sync Trigger on HubSpot: companies and deals with their associations (v4 batch reads),
 * and deletions from the archived-records listing, polled by n8n-core against the sandbox.
 */
import { defaultAssociationType } from '../sandbox/vendors/hubspot/objectTypes';
import type { HubSpotObjectType } from '../sandbox/vendors/hubspot/objectTypes';
import { objectKindsScenarios } from './support/objectKindsScenario';
import type { SyncTriggerSuite } from './support/syncTriggerSetup';

function link(
	suite: SyncTriggerSuite,
	fromType: HubSpotObjectType,
	fromId: string,
	toType: HubSpotObjectType,
	toId: string,
): void {
	const type = defaultAssociationType(fromType, toType)!;
	const category = 'HUBSPOT_DEFINED';
	suite.sandbox.admin.linkRecords('hubspot', {
		fromType,
		fromId,
		toType,
		toId,
		typeId: type.typeId,
		category,
	});
	suite.sandbox.admin.linkRecords('hubspot', {
		fromType: toType,
		fromId: toId,
		toType: fromType,
		toId: fromId,
		typeId: type.inverseTypeId,
		category,
	});
}

describe('CRM Sync Trigger — HubSpot companies, deals, associations and deletions', () => {
	objectKindsScenarios({
		crm: 'hubspot',
		objects: { contact: 'contacts', company: 'companies', deal: 'deals' },
		plantGraph(suite, prefix) {
			const { admin } = suite.sandbox;
			const [company] = admin.putRecords('hubspot', 'companies', [
				{ name: `${prefix} Ltd`, domain: `${prefix.toLowerCase()}.example` },
			]);
			const contacts = admin.putRecords('hubspot', 'contacts', [
				{ firstname: `${prefix}A`, lastname: 'Test', phone: '+1 415 555 0101' },
				{ firstname: `${prefix}B`, lastname: 'Test', phone: '+1 415 555 0102' },
			]);
			const [deal] = admin.putRecords('hubspot', 'deals', [
				{
					dealname: `${prefix} deal`,
					amount: '5000',
					dealstage: 'closedwon',
					hs_is_closed: 'true',
					hs_is_closed_won: 'true',
				},
			]);
			for (const contact of contacts) {
				link(suite, 'contacts', contact.id, 'companies', company.id);
				link(suite, 'deals', deal.id, 'contacts', contact.id);
			}
			link(suite, 'deals', deal.id, 'companies', company.id);
			return { company: company.id, contacts: contacts.map((c) => c.id), deal: deal.id };
		},
		expectedCompany: (prefix) => ({
			name: `${prefix} Ltd`,
			domain: `${prefix.toLowerCase()}.example`,
		}),
		expectedDeal: (prefix) => ({
			name: `${prefix} deal`,
			amount: '5000',
			stage: 'closedwon',
			closed: true,
			won: true,
		}),
	});
});
