/**
 * CRM Sync Trigger on Dynamics 365: accounts and opportunities with associations from their
 * lookup columns, and deletions through Dataverse change tracking (delta links), polled by
 * n8n-core against the sandbox.
 */
import { objectKindsScenarios } from './support/objectKindsScenario';

const ANNOTATION = '@Microsoft.Dynamics.CRM.lookuplogicalname';
const lookup = (column: string, table: string, id: string) => ({
	[`_${column}_value`]: id,
	[`_${column}_value${ANNOTATION}`]: table,
});

describe('CRM Sync Trigger — Dynamics 365 accounts, opportunities, associations and deletions', () => {
	objectKindsScenarios({
		crm: 'dynamics',
		objects: { contact: 'contact', company: 'account', deal: 'opportunity' },
		parameters: { defaultCountry: 'GB' },
		plantGraph(suite, prefix) {
			const { admin } = suite.sandbox;
			const [account] = admin.putRecords('dynamics', 'account', [
				{ name: `${prefix} Ltd`, websiteurl: `${prefix.toLowerCase()}.example` },
			]);
			const contacts = admin.putRecords('dynamics', 'contact', [
				{
					firstname: `${prefix}A`,
					lastname: 'Test',
					mobilephone: '07700 900101',
					...lookup('parentcustomerid', 'account', account.id),
				},
				{
					firstname: `${prefix}B`,
					lastname: 'Test',
					mobilephone: '07700 900102',
					...lookup('parentcustomerid', 'account', account.id),
				},
			]);
			const [opportunity] = admin.putRecords('dynamics', 'opportunity', [
				{
					name: `${prefix} deal`,
					estimatedvalue: 5000,
					stepname: 'Close',
					statecode: 1,
					...lookup('parentaccountid', 'account', account.id),
					...lookup('parentcontactid', 'contact', contacts[0].id),
					...lookup('customerid', 'contact', contacts[1].id),
				},
			]);
			return { company: account.id, contacts: contacts.map((c) => c.id), deal: opportunity.id };
		},
		expectedCompany: (prefix) => ({
			name: `${prefix} Ltd`,
			domain: `${prefix.toLowerCase()}.example`,
		}),
		expectedDeal: (prefix) => ({
			name: `${prefix} deal`,
			amount: 5000,
			stage: 'Close',
			closed: true,
			won: true,
		}),
	});
});
