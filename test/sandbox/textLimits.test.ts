/**
 * Every text limit the pack fits its writes to is enforced by the sandbox the way the
 * vendor does it: the longest allowed value is stored, one more character is refused with
 * the vendor's error shape. A provider that stopped cutting would fail against it.
 */
import { call, clientCredentialsToken, localNetworkOnly } from './helpers';
import { startSandbox, type SandboxHandle } from './server';
import { AUTOCHAT_SEED_IDS } from './vendors/autochat';
import { DYNAMICS_SEED_IDS } from './vendors/dynamics';
import { SALESFORCE_SEED_IDS } from './vendors/salesforce';

type HubSpotError = {
	category: string;
	errors?: Array<{ code: string; context: { propertyName: string[] } }>;
};
type HubSpotBatch = {
	status: string;
	results: unknown[];
	errors?: Array<{ status: string; category: string; message: string }>;
};
type SalesforceSave = Array<{
	success: boolean;
	errors: Array<{ statusCode: string; fields: string[] }>;
}>;
type DataverseError = { error: { code: string; message: string } };
type AutochatError = { error: { code: string; message: string } };

describe('sandbox text limits', () => {
	localNetworkOnly();
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startSandbox({
			port: 0,
			rateLimits: { hubspot: false, salesforce: false, dynamics: false, autochat: false },
		});
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.admin.seed());

	it('HubSpot: a text property value holds 65,536 characters; 65,537 is a VALIDATION_ERROR naming the property', async () => {
		const token = 'pat-na1-text-limits';
		const api = (path: string) => `${sandbox.url}/hubspot${path}`;
		for (const [type, property] of [
			['notes', 'hs_note_body'],
			['tasks', 'hs_task_body'],
			['meetings', 'hs_meeting_title'],
			['calls', 'hs_call_body'],
		] as const) {
			const fits = await call(api(`/crm/v3/objects/${type}`), {
				token,
				body: {
					properties: { [property]: 'x'.repeat(65_536), hs_timestamp: '2026-11-20T10:00:00Z' },
				},
			});
			expect([type, fits.status]).toEqual([type, 201]);
			const over = await call<HubSpotError>(api(`/crm/v3/objects/${type}`), {
				token,
				body: {
					properties: { [property]: 'x'.repeat(65_537), hs_timestamp: '2026-11-20T10:00:00Z' },
				},
			});
			expect([type, over.status, over.body.category]).toEqual([type, 400, 'VALIDATION_ERROR']);
			expect(over.body.errors?.[0]).toMatchObject({
				code: 'VALUE_TOO_LONG',
				context: { propertyName: [property] },
			});
		}
		const batch = await call<HubSpotBatch>(api('/crm/v3/objects/tasks/batch/create'), {
			token,
			body: {
				inputs: [
					{ properties: { hs_task_body: 'ok' } },
					{ properties: { hs_task_body: 'x'.repeat(5_000_000) } },
				],
			},
		});
		expect(batch.status).toBe(207);
		expect(batch.body.results).toHaveLength(1);
		expect(batch.body.errors?.[0]).toMatchObject({ category: 'VALIDATION_ERROR' });
	});

	it('Salesforce: Subject 255, Task/Event Description 32,000, ContentNote Title 255, Note Title 80 / Body 32,000 — STRING_TOO_LONG beyond', async () => {
		const token = await clientCredentialsToken(sandbox.url, 'salesforce');
		const create = (type: string, fields: Record<string, unknown>) =>
			call<SalesforceSave>(`${sandbox.url}/services/data/v62.0/composite/sobjects`, {
				token,
				body: { allOrNone: false, records: [{ attributes: { type }, ...fields }] },
			});
		const event = { StartDateTime: '2026-11-20T10:00:00Z', EndDateTime: '2026-11-20T10:30:00Z' };
		const note = { ParentId: SALESFORCE_SEED_IDS.contacts.alice };
		for (const [type, field, limit, base] of [
			['Task', 'Subject', 255, {}],
			['Task', 'Description', 32_000, {}],
			['Event', 'Subject', 255, event],
			['Event', 'Description', 32_000, event],
			['ContentNote', 'Title', 255, {}],
			['Note', 'Title', 80, note],
			['Note', 'Body', 32_000, { ...note, Title: 'T' }],
		] as const) {
			const fits = await create(type, { ...base, [field]: 'x'.repeat(limit) });
			expect([type, field, fits.body[0].success]).toEqual([type, field, true]);
			const over = await create(type, { ...base, [field]: 'x'.repeat(limit + 1) });
			expect([type, field, over.body[0].success, over.body[0].errors[0]?.statusCode]).toEqual([
				type,
				field,
				false,
				'STRING_TOO_LONG',
			]);
			expect(over.body[0].errors[0].fields).toEqual([field]);
		}
	});

	it('Dataverse: activity subject 200 / description 2,000, note subject 500 / notetext 100,000 — a validation error beyond', async () => {
		const token = await clientCredentialsToken(sandbox.url, 'dynamics');
		const post = (set: string, body: Record<string, unknown>) =>
			call<DataverseError>(`${sandbox.url}/dynamics/api/data/v9.2/${set}`, { token, body });
		const regarding = {
			'regardingobjectid_contact_phonecall@odata.bind': `/contacts(${DYNAMICS_SEED_IDS.contacts.alice})`,
		};
		const noteOf = {
			'objectid_contact@odata.bind': `/contacts(${DYNAMICS_SEED_IDS.contacts.alice})`,
		};
		for (const [set, column, limit, base] of [
			['phonecalls', 'subject', 200, regarding],
			['phonecalls', 'description', 2_000, { ...regarding, subject: 'S' }],
			['tasks', 'description', 2_000, { subject: 'S' }],
			[
				'appointments',
				'description',
				2_000,
				{
					subject: 'S',
					scheduledstart: '2026-11-20T10:00:00Z',
					scheduledend: '2026-11-20T10:30:00Z',
				},
			],
			['annotations', 'subject', 500, noteOf],
			['annotations', 'notetext', 100_000, noteOf],
		] as const) {
			const fits = await post(set, { ...base, [column]: 'x'.repeat(limit) });
			expect([set, column, fits.status]).toEqual([set, column, 204]);
			const over = await post(set, { ...base, [column]: 'x'.repeat(limit + 1) });
			expect([set, column, over.status]).toEqual([set, column, 400]);
			expect(over.body.error.message).toContain(`'${column}' attribute`);
			expect(over.body.error.message).toContain(`maximum allowed length of '${limit}'`);
		}
	});

	it('autoch.at (assumed): activity body 10,000 and subject 255 — 422 validation_error beyond', async () => {
		const url = `${sandbox.url}/autochat/v1/clients/${AUTOCHAT_SEED_IDS.alice}/activities`;
		const token = 'ak_text_limits';
		const post = (body: Record<string, unknown>) =>
			call<AutochatError>(url, { token, body: { type: 'note', ...body } });
		expect((await post({ body: 'x'.repeat(10_000), subject: 's'.repeat(255) })).status).toBe(201);
		const longBody = await post({ body: 'x'.repeat(10_001) });
		expect([longBody.status, longBody.body.error.code]).toEqual([422, 'validation_error']);
		expect(longBody.body.error.message).toContain('10000');
		const longSubject = await post({ body: 'ok', subject: 's'.repeat(256) });
		expect([longSubject.status, longSubject.body.error.code]).toEqual([422, 'validation_error']);
	});
});
