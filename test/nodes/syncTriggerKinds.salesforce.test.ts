/**
 * CRM Sync Trigger on Salesforce: accounts and opportunities, an opportunity's contacts from
 * its OpportunityContactRole rows, and deletions from the delete log (sObject Get Deleted),
 * polled by n8n-core against the sandbox.
 */
import { objectKindsScenarios } from './support/objectKindsScenario';

describe('CRM Sync Trigger — Salesforce accounts, opportunities, associations and deletions', () => {
	objectKindsScenarios({
		crm: 'salesforce',
		objects: { contact: 'Contact', company: 'Account', deal: 'Opportunity' },
		plantGraph(suite, prefix) {
			const { admin } = suite.sandbox;
			const [account] = admin.putRecords('salesforce', 'Account', [
				{ Name: `${prefix} Ltd`, Website: `${prefix.toLowerCase()}.example` },
			]);
			const contacts = admin.putRecords('salesforce', 'Contact', [
				{
					FirstName: `${prefix}A`,
					LastName: 'Test',
					Phone: '(415) 555-0101',
					AccountId: account.id,
				},
				{
					FirstName: `${prefix}B`,
					LastName: 'Test',
					Phone: '(415) 555-0102',
					AccountId: account.id,
				},
			]);
			const [opportunity] = admin.putRecords('salesforce', 'Opportunity', [
				{
					Name: `${prefix} deal`,
					Amount: 5000,
					StageName: 'Closed Won',
					CloseDate: '2026-12-31',
					IsClosed: true,
					IsWon: true,
					AccountId: account.id,
				},
			]);
			admin.putRecords(
				'salesforce',
				'OpportunityContactRole',
				contacts.map((contact, i) => ({
					OpportunityId: opportunity.id,
					ContactId: contact.id,
					Role: i === 0 ? 'Decision Maker' : 'Influencer',
				})),
			);
			return { company: account.id, contacts: contacts.map((c) => c.id), deal: opportunity.id };
		},
		expectedCompany: (prefix) => ({
			name: `${prefix} Ltd`,
			domain: `${prefix.toLowerCase()}.example`,
		}),
		expectedDeal: (prefix) => ({
			name: `${prefix} deal`,
			amount: 5000,
			stage: 'Closed Won',
			closeDate: '2026-12-31',
			closed: true,
			won: true,
		}),
	});
});
