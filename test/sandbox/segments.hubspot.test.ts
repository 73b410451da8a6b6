/**
 * HubSpot lists in the sandbox: the v3 Lists routes over raw HTTP, the admin membership
 * helpers, and the pack's own provider (through the HubSpot SDK) reading them.
 */
import { createHubSpotProvider } from '../../nodes/shared/providers/hubspot';
import type { TokenSource } from '../../nodes/shared/transport/types';
import { call, localNetworkOnly } from './helpers';
import { HUBSPOT_SEED_IDS, startSandbox, type SandboxHandle } from './server';

interface MembershipAnswer {
	results: Array<{ recordId: string; membershipTimestamp: string }>;
	paging?: { next: { after: string } };
}

describe('HubSpot lists in the sandbox', () => {
	localNetworkOnly();
	let sandbox: SandboxHandle;
	const token = 'pat-na1-lists-tests';
	const api = (path: string) => `${sandbox.url}/hubspot${path}`;
	let listId: string;
	let contactIds: string[];

	beforeAll(async () => {
		sandbox = await startSandbox({ rateLimits: { hubspot: false } });
	});
	afterAll(() => sandbox.close());
	beforeEach(() => {
		sandbox.admin.seed('hubspot');
		contactIds = sandbox.admin
			.putRecords(
				'hubspot',
				'contacts',
				Array.from({ length: 5 }, (_, i) => ({ firstname: `L${i}`, email: `l${i}@example.com` })),
			)
			.map((record) => record.id);
		[{ id: listId }] = sandbox.admin.putRecords('hubspot', 'lists', [
			{ name: 'Webinar attendees', objectTypeId: '0-1', processingType: 'MANUAL' },
		]);
		sandbox.admin.putRecords('hubspot', 'lists', [
			{ name: 'Big companies', objectTypeId: '0-2', processingType: 'DYNAMIC' },
		]);
	});

	it('pages memberships in ascending record id with after, and answers 404 for an unknown list', async () => {
		sandbox.admin.addMembers('hubspot', listId, [...contactIds].reverse());
		const first = await call<MembershipAnswer>(api(`/crm/v3/lists/${listId}/memberships?limit=2`), {
			token,
		});
		expect(first.status).toBe(200);
		expect(first.body.results.map((m) => m.recordId)).toEqual(contactIds.slice(0, 2));
		expect(first.body.results[0].membershipTimestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
		const after = first.body.paging!.next.after;
		const rest = await call<MembershipAnswer>(
			api(`/crm/v3/lists/${listId}/memberships?limit=250&after=${after}`),
			{ token },
		);
		expect(rest.body.results.map((m) => m.recordId)).toEqual(contactIds.slice(2));
		expect(rest.body.paging).toBeUndefined();

		const missing = await call<{ category: string }>(api('/crm/v3/lists/987654/memberships'), {
			token,
		});
		expect(missing.status).toBe(404);
		expect(missing.body.category).toBe('OBJECT_NOT_FOUND');
	});

	it('admin and PUT add/remove change the membership; unknown lists and records are refused', async () => {
		sandbox.admin.addMembers('hubspot', listId, [contactIds[0], contactIds[1]]);
		sandbox.admin.removeMembers('hubspot', listId, [contactIds[0]]);
		const put = await call(api(`/crm/v3/lists/${listId}/memberships/add`), {
			method: 'PUT',
			token,
			body: [contactIds[2]],
		});
		expect(put.status).toBe(200);
		const now = await call<MembershipAnswer>(api(`/crm/v3/lists/${listId}/memberships`), { token });
		expect(now.body.results.map((m) => m.recordId)).toEqual([contactIds[1], contactIds[2]]);
		expect(() => sandbox.admin.addMembers('hubspot', '424242', [contactIds[0]])).toThrow(
			'HubSpot list 424242 does not exist',
		);
		expect(() => sandbox.admin.addMembers('hubspot', listId, ['1'])).toThrow(
			'no contacts record 1',
		);
		const overHttp = await call(`${sandbox.url}/__admin/members/hubspot/${listId}`, {
			body: { remove: [contactIds[1]] },
		});
		expect(overHttp.status).toBe(200);
		expect(sandbox.admin.records('hubspot', 'list_memberships')).toHaveLength(1);
	});

	it('the provider lists the contact lists by name and reads members page by page', async () => {
		const tokens: TokenSource = {
			getAccessToken: async () => token,
			refresh: async () => token,
		};
		const provider = createHubSpotProvider({
			tokens,
			apiBaseUrl: `${sandbox.url}/hubspot`,
			limiterKey: 'sandbox-lists',
			transport: { sleep: async () => undefined },
		});
		sandbox.admin.addMembers('hubspot', listId, [...contactIds, HUBSPOT_SEED_IDS.contacts.alice]);
		const lists = await provider.listSegments!('contacts');
		expect(lists).toEqual([
			{ id: listId, name: 'Webinar attendees', description: `List ${listId} (static, 6 members)` },
		]);
		const seen: string[] = [];
		let cursor: string | undefined;
		let pages = 0;
		do {
			const page = await provider.listSegmentMembers!({
				segmentId: listId,
				objectType: 'contacts',
				cursor,
				pageSize: 4,
			});
			seen.push(...page.members.map((m) => m.id));
			expect(page.members.every((m) => m.objectType === 'contacts')).toBe(true);
			cursor = page.nextCursor;
			pages++;
		} while (cursor);
		expect(pages).toBe(2);
		expect(seen.sort()).toEqual([...contactIds, HUBSPOT_SEED_IDS.contacts.alice].sort());
		await expect(
			provider.listSegmentMembers!({ segmentId: '987654', objectType: 'contacts' }),
		).rejects.toThrow('HubSpot list 987654 was not found');
	});
});
