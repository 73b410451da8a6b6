import nock from 'nock';

import { API, hsObject, isolateNetwork, makeProvider } from './helpers';

describe('HubSpot search pacing and request packing', () => {
	isolateNetwork();

	it('paces search requests on their own limiter: the 5th search within one second waits for the window', async () => {
		nock(API)
			.post('/crm/v3/objects/contacts/search')
			.times(5)
			.reply(200, { total: 0, results: [] });
		const { provider, sleeps } = makeProvider();

		for (let run = 0; run < 5; run++) {
			await provider.listChanged({
				objectType: 'contacts',
				since: '2026-11-01T00:00:00Z',
				properties: [],
			});
		}

		expect(sleeps).toEqual([1000]);
		expect(provider.usage()).toMatchObject({ calls: 5, waitedMs: 1000 });
	});

	it('packs 150 items into two contact searches (IN lists of at most 100 values) and hands each hit to its own item', async () => {
		const valueCounts: number[] = [];
		nock(API)
			.post('/crm/v3/objects/contacts/search')
			.times(2)
			.reply(200, (_uri, body) => {
				const emails = (body as { filterGroups: Array<{ filters: Array<{ values: string[] }> }> })
					.filterGroups[0]!.filters[0]!.values;
				valueCounts.push(emails.length);
				return {
					total: emails.length,
					results: emails.map((email) => hsObject(`c-${email.split('@')[0]}`, { email })),
				};
			});
		const { provider } = makeProvider();
		const queries = Array.from({ length: 150 }, (_, index) => ({
			phones: [],
			emails: [`p${index}@acme.com`],
			domains: [],
		}));

		const sets = await provider.findMatches(queries, { kinds: ['contact'], openDealsOnly: true });

		expect(valueCounts).toEqual([100, 50]);
		sets.forEach((set, index) => expect(set.contact.map((ref) => ref.id)).toEqual([`c-p${index}`]));
	});
});
