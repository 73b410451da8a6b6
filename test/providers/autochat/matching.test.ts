/** findMatches: phone variants E.164 first, email, client-side confirmation, dedup, caching within a batch. */
import type { MatchOptions } from '../../../nodes/shared/providers/CrmProvider';
import { api, client, isolateNetwork, listBody, makeProvider, p } from './helpers';

const CONTACTS: MatchOptions = { kinds: ['contact'], openDealsOnly: true };

describe('autoch.at provider: matching clients', () => {
	isolateNetwork();

	it('finds a client by E.164 phone with one request and returns it as a contact ref', async () => {
		api()
			.get(p('/clients'))
			.query({ phone: '+14155550101', limit: '100' })
			.reply(
				200,
				listBody([
					client('c-1', {
						name: 'Alice Nguyen',
						phone: '+1 (415) 555-0101',
						email: 'alice@acme.example',
					}),
				]),
			);
		const { provider } = makeProvider();

		const [set] = await provider.findMatches(
			[{ phones: ['+14155550101'], emails: [], domains: [] }],
			CONTACTS,
		);

		expect(set.contact).toEqual([
			expect.objectContaining({
				crm: 'autochat',
				kind: 'contact',
				objectType: 'client',
				id: 'c-1',
				name: 'Alice Nguyen',
				matchedBy: 'phone',
			}),
		]);
		expect(set.contact[0].properties).toMatchObject({
			phone: '+1 (415) 555-0101',
			email: 'alice@acme.example',
		});
		expect(set.company).toEqual([]);
		expect(provider.usage().calls).toBe(1);
	});

	it('drops a hit whose stored phone is a different number, then tries the next spelling (digits, national)', async () => {
		const asked: string[] = [];
		api()
			.get(p('/clients'))
			.query(true)
			.times(4)
			.reply(function (uri) {
				const phone = new URL(uri, 'https://x').searchParams.get('phone')!;
				asked.push(phone);
				// The API's own matching is loose: E.164 returns a near miss, the national form the real client.
				if (phone === '+14155550101')
					return [200, listBody([client('wrong', { phone: '+1 415 555 0199' })])];
				if (phone === '(415) 555-0101')
					return [
						200,
						listBody([
							client('right', { phone: '415.555.0101' }),
							client('other', { phone: '555-0101' }),
						]),
					];
				return [200, listBody([])];
			});
		const { provider } = makeProvider();

		const [set] = await provider.findMatches(
			[{ phones: ['+14155550101'], emails: [], domains: [] }],
			CONTACTS,
		);

		// E.164 first, then the other spellings until one yields a confirmed client.
		expect(asked).toEqual(['+14155550101', '14155550101', '4155550101', '(415) 555-0101']);
		expect(set.contact.map((ref) => ref.id)).toEqual(['right']);
	});

	it('matches by email case-insensitively and rejects a hit with another address', async () => {
		api()
			.get(p('/clients'))
			.query({ email: 'carol.hughes@globex.example', limit: '100' })
			.reply(
				200,
				listBody([
					client('c-3', { email: 'Carol.Hughes@GLOBEX.example' }),
					client('c-x', { email: 'carol@globex.example' }),
				]),
			);
		const { provider } = makeProvider();

		const [set] = await provider.findMatches(
			[{ phones: [], emails: ['Carol.Hughes@globex.example'], domains: ['globex.example'] }],
			CONTACTS,
		);

		expect(set.contact.map((ref) => [ref.id, ref.matchedBy])).toEqual([['c-3', 'email']]);
	});

	it('dedupes a client found by phone and email, orders newest first, and asks each key once per batch', async () => {
		api()
			.get(p('/clients'))
			.query({ phone: '+442079460958', limit: '100' })
			.once()
			.reply(
				200,
				listBody([
					client('old', { phone: '+44 20 7946 0958', updated_at: '2026-01-05T00:00:00Z' }),
				]),
			)
			.get(p('/clients'))
			.query({ email: 'carol@globex.example', limit: '100' })
			.once()
			.reply(
				200,
				listBody([
					client('old', {
						phone: '+44 20 7946 0958',
						email: 'carol@globex.example',
						updated_at: '2026-01-05T00:00:00Z',
					}),
					client('new', { email: 'carol@globex.example', updated_at: '2026-03-01T00:00:00Z' }),
				]),
			);
		const { provider } = makeProvider();
		const query = { phones: ['+442079460958'], emails: ['carol@globex.example'], domains: [] };

		const [first, second] = await provider.findMatches([query, query], CONTACTS);

		expect(first.contact.map((ref) => [ref.id, ref.matchedBy])).toEqual([
			['new', 'email'],
			['old', 'phone'],
		]);
		expect(second.contact.map((ref) => ref.id)).toEqual(['new', 'old']);
		expect(provider.usage().calls).toBe(2);
	});

	it('caps matches per kind, newest first', async () => {
		api()
			.get(p('/clients'))
			.query({ email: 'shared@acme.example', limit: '100' })
			.reply(
				200,
				listBody([
					client('a', { email: 'shared@acme.example', updated_at: '2026-01-01T00:00:00Z' }),
					client('b', { email: 'shared@acme.example', updated_at: '2026-05-01T00:00:00Z' }),
				]),
			);
		const { provider } = makeProvider();

		const [set] = await provider.findMatches(
			[{ phones: [], emails: ['shared@acme.example'], domains: [] }],
			{ ...CONTACTS, maxPerKind: 1 },
		);

		expect(set.contact.map((ref) => ref.id)).toEqual(['b']);
	});

	it('makes no request when contacts are not asked for, and none for an empty query', async () => {
		const { provider } = makeProvider();

		const sets = await provider.findMatches(
			[
				{ phones: ['+14155550101'], emails: [], domains: [] },
				{ phones: [], emails: [], domains: ['acme.example'] },
			],
			{ kinds: ['deal', 'company'], openDealsOnly: true },
		);
		const [empty] = await provider.findMatches(
			[{ phones: [], emails: [], domains: ['acme.example'] }],
			CONTACTS,
		);

		expect(sets.map((set) => set.contact)).toEqual([[], []]);
		expect(empty.contact).toEqual([]);
		expect(provider.usage().calls).toBe(0);
	});
});
