/** HubSpot vendor edges checked over raw HTTP: batch caps, 207 on updates, deletes, account details, custom properties, call dispositions, communications. */
import { call, localNetworkOnly } from './helpers';
import { HUBSPOT_SEED_IDS, startSandbox, type SandboxHandle } from './server';

interface BatchAnswer {
	status: string;
	results: Array<{
		id: string;
		properties: Record<string, string | null>;
		objectWriteTraceId?: string;
	}>;
	errors?: Array<{
		status: string;
		category: string;
		message: string;
		context: Record<string, string[]>;
	}>;
	numErrors?: number;
}

describe('HubSpot vendor over HTTP', () => {
	localNetworkOnly();
	let sandbox: SandboxHandle;
	const token = 'pat-na1-http-tests';
	const api = (path: string) => `${sandbox.url}/hubspot${path}`;

	beforeAll(async () => {
		sandbox = await startSandbox({ rateLimits: { hubspot: false } });
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.admin.seed('hubspot'));

	it('refuses a batch of more than 100 inputs with a 400 and writes nothing', async () => {
		const inputs = Array.from({ length: 101 }, (_, i) => ({
			properties: { hs_note_body: `n${i}`, hs_timestamp: '2026-11-21T10:00:00Z' },
		}));
		const answer = await call<{ status: string; category: string; message: string }>(
			api('/crm/v3/objects/notes/batch/create'),
			{ token, body: { inputs } },
		);
		expect(answer.status).toBe(400);
		expect(answer.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
		expect(answer.body.message).toContain('100');
		expect(sandbox.admin.records('hubspot', 'notes')).toHaveLength(0);
		const hundred = await call<BatchAnswer>(api('/crm/v3/objects/notes/batch/create'), {
			token,
			body: { inputs: inputs.slice(0, 100) },
		});
		expect(hundred.status).toBe(201);
		expect(hundred.body.results).toHaveLength(100);
	});

	it('batch update: unknown ids come back as 207 OBJECT_NOT_FOUND errors naming the id; results echo the trace ids', async () => {
		const answer = await call<BatchAnswer>(api('/crm/v3/objects/deals/batch/update'), {
			token,
			body: {
				inputs: [
					{
						id: HUBSPOT_SEED_IDS.deals['acme-renewal'],
						properties: { dealstage: 'closedlost' },
						objectWriteTraceId: '0',
					},
					{ id: '12345', properties: { dealstage: 'closedwon' }, objectWriteTraceId: '1' },
				],
			},
		});
		expect(answer.status).toBe(207);
		expect(answer.body.results).toEqual([
			expect.objectContaining({
				id: HUBSPOT_SEED_IDS.deals['acme-renewal'],
				objectWriteTraceId: '0',
				properties: expect.objectContaining({ hs_is_closed: 'true', hs_is_closed_won: 'false' }),
			}),
		]);
		expect(answer.body.numErrors).toBe(1);
		expect(answer.body.errors![0]).toMatchObject({
			status: 'error',
			category: 'OBJECT_NOT_FOUND',
			context: { ids: ['12345'], objectWriteTraceId: ['1'] },
		});
	});

	it('batch read reports missing ids in a 207 error with context.ids', async () => {
		const answer = await call<BatchAnswer>(api('/crm/v3/objects/companies/batch/read'), {
			token,
			body: {
				inputs: [{ id: HUBSPOT_SEED_IDS.companies.acme }, { id: '1' }, { id: '2' }],
				properties: ['domain'],
			},
		});
		expect(answer.status).toBe(207);
		expect(answer.body.results.map((r) => r.properties.domain)).toEqual(['acme.example']);
		expect(answer.body.errors).toEqual([
			expect.objectContaining({ category: 'OBJECT_NOT_FOUND', context: { ids: ['1', '2'] } }),
		]);
	});

	it('batch read by a unique idProperty (email)', async () => {
		const answer = await call<BatchAnswer>(api('/crm/v3/objects/contacts/batch/read'), {
			token,
			body: {
				idProperty: 'email',
				inputs: [{ id: 'CAROL.HUGHES@globex.example' }],
				properties: ['firstname'],
			},
		});
		expect(answer.status).toBe(200);
		expect(answer.body.results.map((r) => r.id)).toEqual([HUBSPOT_SEED_IDS.contacts.carol]);
	});

	it('PATCH clears a property written as an empty string and recomputes the searchable phone; DELETE archives', async () => {
		const id = HUBSPOT_SEED_IDS.contacts.bob;
		const patched = await call<{ properties: Record<string, string | null> }>(
			api(`/crm/v3/objects/contacts/${id}`),
			{
				token,
				method: 'PATCH',
				body: { properties: { phone: '', mobilephone: '+1 212 555 0123' } },
			},
		);
		expect(patched.status).toBe(200);
		const stored = sandbox.admin.records('hubspot', 'contacts').find((r) => r.id === id)!;
		expect(stored.fields.phone).toBeUndefined();
		expect(stored.fields.hs_searchable_calculated_phone_number).toBeUndefined();
		expect(stored.fields.hs_searchable_calculated_mobile_number).toBe('2125550123');

		expect(
			(await call(api(`/crm/v3/objects/contacts/${id}`), { token, method: 'DELETE' })).status,
		).toBe(204);
		expect((await call(api(`/crm/v3/objects/contacts/${id}`), { token })).status).toBe(404);
		// Its associations went with it.
		const assoc = await call<BatchAnswer>(api('/crm/v4/associations/deals/contacts/batch/read'), {
			token,
			body: { inputs: [{ id: HUBSPOT_SEED_IDS.deals['acme-pilot'] }] },
		});
		expect(assoc.status).toBe(207);
	});

	it('a read-only property cannot be written', async () => {
		const answer = await call<{ errors: Array<{ code: string }> }>(
			api('/crm/v3/objects/contacts'),
			{
				token,
				body: {
					properties: { email: 'ro@acme.example', hs_searchable_calculated_phone_number: '123' },
				},
			},
		);
		expect(answer.status).toBe(400);
		expect(answer.body.errors[0].code).toBe('READ_ONLY_VALUE');
	});

	it('custom properties can be created and then written', async () => {
		const created = await call<{ name: string; hubspotDefined: boolean }>(
			api('/crm/v3/properties/meetings'),
			{
				token,
				body: {
					name: 'crm_sync_key',
					label: 'CRM sync key',
					type: 'string',
					fieldType: 'text',
					groupName: 'engagement',
					hasUniqueValue: true,
				},
			},
		);
		expect(created.status).toBe(201);
		expect(created.body).toMatchObject({ name: 'crm_sync_key', hubspotDefined: false });
		const meeting = await call<{ properties: Record<string, string> }>(
			api('/crm/v3/objects/meetings'),
			{
				token,
				body: {
					properties: {
						hs_meeting_title: 'Demo',
						hs_timestamp: Date.UTC(2026, 10, 21, 14),
						crm_sync_key: 'conv-42:meeting',
					},
				},
			},
		);
		expect(meeting.status).toBe(201);
		expect(meeting.body.properties).toMatchObject({
			crm_sync_key: 'conv-42:meeting',
			hs_timestamp: '2026-11-21T14:00:00.000Z',
		});
		expect(
			(
				await call(api('/crm/v3/properties/meetings'), {
					token,
					body: { name: 'crm_sync_key', label: 'again' },
				})
			).status,
		).toBe(409);
	});

	it('search filters engagements by associated record (associations.contact)', async () => {
		const meeting = await call<{ id: string }>(api('/crm/v3/objects/meetings'), {
			token,
			body: {
				properties: { hs_meeting_title: 'Kick-off', hs_timestamp: '2026-11-21T15:00:00Z' },
				associations: [
					{
						to: { id: HUBSPOT_SEED_IDS.contacts.carol },
						types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 200 }],
					},
				],
			},
		});
		const byContact = (contactId: string) =>
			call<{ total: number; results: Array<{ id: string }> }>(
				api('/crm/v3/objects/meetings/search'),
				{
					token,
					body: {
						filterGroups: [
							{
								filters: [
									{ propertyName: 'associations.contact', operator: 'EQ', value: contactId },
								],
							},
						],
					},
				},
			);
		expect(
			(await byContact(HUBSPOT_SEED_IDS.contacts.carol)).body.results.map((r) => r.id),
		).toEqual([meeting.body.id]);
		expect((await byContact(HUBSPOT_SEED_IDS.contacts.alice)).body.total).toBe(0);
	});

	it('call dispositions: the portal outcomes as a bare array of id and label', async () => {
		const answer = await call<Array<{ id: string; label: string }>>(
			api('/calling/v1/dispositions'),
			{ token },
		);
		expect(answer.status).toBe(200);
		expect(answer.body.map((d) => d.label)).toEqual([
			'Busy',
			'Connected',
			'Left live message',
			'Left voicemail',
			'No answer',
			'Wrong number',
		]);
		for (const d of answer.body)
			expect(d.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
		const anonymous = await call(api('/calling/v1/dispositions'));
		expect(anonymous.status).toBe(401);
	});

	it('communications: a WhatsApp message logged from CRM, associated with a contact (81) and found through it; other channels and association types refused', async () => {
		const alice = HUBSPOT_SEED_IDS.contacts.alice;
		const created = await call<BatchAnswer>(api('/crm/v3/objects/communications/batch/create'), {
			token,
			body: {
				inputs: [
					{
						properties: {
							hs_communication_channel_type: 'WHATS_APP',
							hs_communication_logged_from: 'CRM',
							hs_communication_body: '<p>Sent the quote.</p>',
							hs_timestamp: '2026-11-21T10:00:00Z',
						},
						associations: [
							{
								to: { id: alice },
								types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 81 }],
							},
						],
					},
				],
			},
		});
		expect(created.status).toBe(201);
		const id = created.body.results[0].id;
		expect(created.body.results[0].properties).toMatchObject({
			hs_communication_channel_type: 'WHATS_APP',
		});
		const links = await call<{ results: Array<{ to: Array<{ toObjectId: string | number }> }> }>(
			api('/crm/v4/associations/contacts/communications/batch/read'),
			{ token, body: { inputs: [{ id: alice }] } },
		);
		expect(links.body.results[0].to.map((t) => String(t.toObjectId))).toEqual([id]);

		const telegram = await call(api('/crm/v3/objects/communications'), {
			token,
			body: { properties: { hs_communication_channel_type: 'TELEGRAM' } },
		});
		expect(telegram.status).toBe(400);
		const callType = await call(api('/crm/v3/objects/communications'), {
			token,
			body: {
				properties: { hs_communication_channel_type: 'SMS' },
				associations: [
					{
						to: { id: alice },
						types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 194 }],
					},
				],
			},
		});
		expect(callType.status).toBe(400);
		expect(sandbox.admin.records('hubspot', 'communications')).toHaveLength(1);
	});

	it('account details', async () => {
		const answer = await call<{ portalId: number; timeZone: string }>(
			api('/account-info/v3/details'),
			{ token },
		);
		expect(answer.status).toBe(200);
		expect(answer.body).toMatchObject({
			portalId: expect.any(Number),
			timeZone: 'US/Eastern',
			uiDomain: 'app.hubspot.com',
		});
	});

	it("an unknown object type or route is answered in HubSpot's error shape", async () => {
		const badType = await call<{ category: string }>(api('/crm/v3/objects/widgets/search'), {
			token,
			body: {},
		});
		expect(badType.status).toBe(400);
		const noRoute = await call<{ status: string; category: string }>(api('/crm/v9/nothing'), {
			token,
		});
		expect(noRoute.status).toBe(404);
		expect(noRoute.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
		const badJson = await fetch(api('/crm/v3/objects/contacts/search'), {
			method: 'POST',
			headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
			body: '{not json',
		});
		expect(badJson.status).toBe(400);
		expect(await badJson.json()).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
	});
});

describe('HubSpot search realism (opt-in)', () => {
	localNetworkOnly();

	it('limits search separately per token and indexes new records only after the delay', async () => {
		let now = Date.UTC(2026, 10, 21, 12);
		const sandbox = await startSandbox({
			now: () => now,
			rateLimits: { hubspot: false },
			hubspotSearch: { searchRateLimit: { requests: 2, windowMs: 1000 }, searchIndexDelayMs: 5000 },
		});
		try {
			const token = 'pat-na1-search';
			const search = () =>
				call<{ total: number; policyName?: string }>(
					`${sandbox.url}/hubspot/crm/v3/objects/contacts/search`,
					{
						token,
						body: {
							filterGroups: [
								{
									filters: [{ propertyName: 'email', operator: 'EQ', value: 'fresh@acme.example' }],
								},
							],
						},
					},
				);
			const created = await call(`${sandbox.url}/hubspot/crm/v3/objects/contacts`, {
				token,
				body: { properties: { email: 'fresh@acme.example' } },
			});
			expect(created.status).toBe(201);
			expect((await search()).body.total).toBe(0);
			expect((await search()).body.total).toBe(0);
			const limited = await search();
			expect(limited.status).toBe(429);
			expect(limited.body).toMatchObject({ policyName: 'SECONDLY' });
			// Other endpoints are not affected by the search bucket.
			expect(
				(await call(`${sandbox.url}/hubspot/crm/v3/objects/contacts?limit=1`, { token })).status,
			).toBe(200);

			now += 5000;
			const found = await search();
			expect(found.status).toBe(200);
			expect(found.body.total).toBe(1);
		} finally {
			await sandbox.close();
		}
	});
});
