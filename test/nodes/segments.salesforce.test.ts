/**
 * CRM Sync Trigger on Salesforce in "Members of a List/Segment" mode: campaign members
 * (CampaignMember rows of leads and contacts) through n8n-core's real poll machinery against
 * the sandbox.
 */
import type { IDataObject } from 'n8n-workflow';

import { segmentScenarios } from './support/segmentScenario';
import { syncTriggerSuite } from './support/syncTriggerSetup';

describe('CRM Sync Trigger — Salesforce campaigns, polled by n8n-core', () => {
	const suite = syncTriggerSuite({
		crm: 'salesforce',
		parameters: { objectType: 'Contact' },
		person: (prefix, i) => ({
			FirstName: `${prefix}${i}`,
			LastName: 'Test',
			Email: `${prefix.toLowerCase()}${i}@example.com`,
			Phone: `(415) 555-${String(1000 + i).slice(-4)}`,
		}),
	});
	const createCampaign = (name: string) =>
		suite.sandbox.admin.putRecords('salesforce', 'Campaign', [{ Name: name, IsActive: true }])[0]
			.id;

	segmentScenarios({
		crm: 'salesforce',
		suite: () => suite,
		objectType: 'Contact',
		createSegment: createCampaign,
		unknownSegmentId: '7015gSbx0009999AAA',
		membershipPath: '/query',
		recordReadPath: 'composite/sobjects/Contact',
		smallPage: 3,
	});

	it('a campaign holds leads and contacts: each comes out with its own object and fields', async () => {
		const campaign = createCampaign('Trade show');
		const poller = suite.runner({
			records: 'segment',
			segmentId: campaign,
			extraFields: ['Title'],
		});
		expect((await poller.poll()).output).toBeNull();
		const [contact] = suite.plant('Contact', 1, 'Visitor', () => ({ Title: 'Buyer' }));
		const [lead] = suite.plant('Lead', 1, 'Prospect', () => ({ Company: 'Initech' }));
		suite.sandbox.admin.addMembers('salesforce', campaign, [contact, lead]);
		const result = await poller.poll();
		const items = result.items.map((item) => item.json as IDataObject);
		expect(items).toHaveLength(2);
		expect(items).toEqual(
			expect.arrayContaining([
				expect.objectContaining({
					crmId: contact,
					objectType: 'Contact',
					change: 'added',
					firstName: 'Visitor0',
					fields: { Title: 'Buyer' },
				}),
				expect.objectContaining({
					crmId: lead,
					objectType: 'Lead',
					change: 'added',
					firstName: 'Prospect0',
					email: 'prospect0@example.com',
				}),
			]),
		);
		suite.sandbox.admin.removeMembers('salesforce', campaign, [lead]);
		const removed = await poller.poll();
		expect(removed.items.map((item) => item.json)).toEqual([
			expect.objectContaining({ crmId: lead, objectType: 'Lead', change: 'removed' }),
		]);
	});
});
