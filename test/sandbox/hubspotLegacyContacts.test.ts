/**
 * The legacy Contacts v1 routes n8n's built-in HubSpot node uses for "Create or Update": one
 * contact per e-mail whatever its case, the same property validation as v3, and a profile read
 * in v1's shape. They share the records (and the rate limit) with the v3 routes.
 */
import { call, localNetworkOnly } from './helpers';
import { startSandbox, type SandboxHandle } from './server';

describe('HubSpot legacy Contacts v1 routes', () => {
	localNetworkOnly();
	let sandbox: SandboxHandle;
	const token = 'pat-na1-legacy-tests';
	const api = (path: string) => `${sandbox.url}/hubspot${path}`;
	const upsert = (email: string, properties: Array<{ property: string; value: unknown }>) =>
		call<{ vid: number; isNew: boolean; category?: string; message?: string }>(
			api(`/contacts/v1/contact/createOrUpdate/email/${encodeURIComponent(email)}`),
			{ token, body: { properties } },
		);

	beforeAll(async () => {
		sandbox = await startSandbox({ seed: false, mail: false, rateLimits: { hubspot: false } });
	});
	afterAll(() => sandbox.close());

	it('creates once per e-mail, then updates the same contact; v3 sees it', async () => {
		const first = await upsert('Peer.One@Bench.example', [
			{ property: 'firstname', value: 'Peer' },
			{ property: 'lastname', value: 'One' },
		]);
		expect(first.status).toBe(200);
		expect(first.body.isNew).toBe(true);
		const again = await upsert('peer.one@bench.example', [
			{ property: 'jobtitle', value: 'Buyer' },
		]);
		expect(again.body).toEqual({ vid: first.body.vid, isNew: false });
		const contacts = sandbox.admin.records('hubspot', 'contacts');
		expect(contacts).toHaveLength(1);
		expect(contacts[0].fields).toMatchObject({
			email: 'peer.one@bench.example',
			firstname: 'Peer',
			lastname: 'One',
			jobtitle: 'Buyer',
		});
		const v3 = await call<{ properties: Record<string, string> }>(
			api(`/crm/v3/objects/contacts/${first.body.vid}?properties=jobtitle`),
			{ token },
		);
		expect(v3.body.properties.jobtitle).toBe('Buyer');
		const profile = await call<{ vid: number; properties: Record<string, { value: string }> }>(
			api(`/contacts/v1/contact/vid/${first.body.vid}/profile`),
			{ token },
		);
		expect(profile.body.vid).toBe(first.body.vid);
		expect(profile.body.properties.firstname).toEqual({ value: 'Peer' });
	});

	it('refuses an invalid e-mail, an unknown property and a missing contact', async () => {
		expect((await upsert('not-an-email', [])).status).toBe(400);
		const unknown = await upsert('peer.two@bench.example', [
			{ property: 'no_such_property', value: 'x' },
		]);
		expect(unknown.status).toBe(400);
		expect(unknown.body.category).toBe('VALIDATION_ERROR');
		expect(
			sandbox.admin
				.records('hubspot', 'contacts')
				.filter((c) => c.fields.email === 'peer.two@bench.example'),
		).toEqual([]);
		expect((await call(api('/contacts/v1/contact/vid/999999999/profile'), { token })).status).toBe(
			404,
		);
	});
});
