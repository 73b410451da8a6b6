/**
 * CRM Sync Trigger on Dynamics 365 in "Members of a List/Segment" mode: static marketing
 * lists (`list` / `listmember` rows) through n8n-core's real poll machinery against the sandbox.
 */
import { segmentScenarios } from './support/segmentScenario';
import { syncTriggerSuite } from './support/syncTriggerSetup';

describe('CRM Sync Trigger — Dynamics 365 marketing lists, polled by n8n-core', () => {
	const suite = syncTriggerSuite({
		crm: 'dynamics',
		parameters: { objectType: 'contact', defaultCountry: 'GB' },
		person: (prefix, i) => ({
			firstname: `${prefix}${i}`,
			lastname: 'Test',
			emailaddress1: `${prefix.toLowerCase()}${i}@example.com`,
			mobilephone: `07700 900${String(100 + i)}`,
		}),
	});
	const createList = (name: string, extra: Record<string, unknown> = {}) =>
		suite.sandbox.admin.putRecords('dynamics', 'list', [
			{ listname: name, createdfromcode: 2, type: false, ...extra },
		])[0].id;

	segmentScenarios({
		crm: 'dynamics',
		suite: () => suite,
		objectType: 'contact',
		createSegment: (name) => createList(name),
		unknownSegmentId: '0b9a7e52-0000-4000-8000-00000000beef',
		membershipPath: '/listmembers',
		recordReadPath: '$batch',
		smallPage: 3,
	});

	it('a dynamic list, or a list of leads watched as contacts, fails with an error naming the list', async () => {
		const dynamicList = createList('Dynamic prospects', { type: true });
		await expect(
			suite.runner({ records: 'segment', segmentId: dynamicList }).poll(),
		).rejects.toThrow(`"Dynamic prospects" (${dynamicList}) is dynamic`);
		const leadList = createList('Lead list', { createdfromcode: 4 });
		await expect(suite.runner({ records: 'segment', segmentId: leadList }).poll()).rejects.toThrow(
			`"Lead list" (${leadList}) does not hold contact records`,
		);
	});
});
