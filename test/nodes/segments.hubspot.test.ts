/**
 * CRM Sync Trigger on HubSpot in "Members of a List/Segment" mode: v3 list memberships
 * through n8n-core's real poll machinery against the sandbox.
 */
import { segmentScenarios } from './support/segmentScenario';
import { syncTriggerSuite } from './support/syncTriggerSetup';

describe('CRM Sync Trigger — HubSpot lists, polled by n8n-core', () => {
	const suite = syncTriggerSuite({
		crm: 'hubspot',
		parameters: { objectType: 'contacts' },
		sandbox: { rateLimits: { hubspot: false } },
		person: (prefix, i) => ({
			firstname: `${prefix}${i}`,
			lastname: 'Test',
			email: `${prefix.toLowerCase()}${i}@example.com`,
			phone: `+1 415 555 ${String(1000 + i).slice(-4)}`,
		}),
	});

	segmentScenarios({
		crm: 'hubspot',
		suite: () => suite,
		objectType: 'contacts',
		createSegment: (name) =>
			suite.sandbox.admin.putRecords('hubspot', 'lists', [
				{ name, objectTypeId: '0-1', processingType: 'MANUAL' },
			])[0].id,
		unknownSegmentId: '987654',
		membershipPath: '/memberships',
		recordReadPath: 'contacts/batch/read',
		smallPage: 3,
	});

	it('a list of another object (companies) fails with an error naming the list', async () => {
		const [{ id: listId }] = suite.sandbox.admin.putRecords('hubspot', 'lists', [
			{ name: 'Big companies', objectTypeId: '0-2', processingType: 'DYNAMIC' },
		]);
		await expect(suite.runner({ records: 'segment', segmentId: listId }).poll()).rejects.toThrow(
			`HubSpot list "Big companies" (${listId}) holds objects of type 0-2, not contacts`,
		);
	});
});
