/**
 * Proves the in-process engine harness runs nodes through n8n's real engine: items flow,
 * paired items survive, OAuth2 tokens are refreshed by n8n-core's own helper and stored
 * back in the (harness) credential store, and the processed-items store works.
 */
import nock from 'nock';
import type {
	ICredentialType,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
} from 'n8n-workflow';

import { EngineHarness, HARNESS_ITEMS_TYPE } from './harness/runWorkflow';

class ProbeOAuth2Api implements ICredentialType {
	name = 'probeOAuth2Api';
	extends = ['oAuth2Api'];
	displayName = 'Probe OAuth2 API';
	properties = [];
}

/** A test-only node: one authenticated GET per item, then records the item id as processed. */
class ProbeNode implements INodeType {
	description = {
		displayName: 'Probe',
		name: 'probe',
		group: ['transform'],
		version: 1,
		description: 'test node',
		defaults: { name: 'Probe' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'probeOAuth2Api', required: true }],
		properties: [],
	} as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const out: INodeExecutionData[] = [];
		const dedup = await this.helpers.checkProcessedAndRecord(
			items.map((item) => String(item.json.id)),
			'node',
			{ mode: 'entries' },
		);
		for (let i = 0; i < items.length; i++) {
			const id = String(items[i].json.id);
			const fresh = dedup.new.includes(id);
			const body = fresh
				? ((await this.helpers.httpRequestWithAuthentication.call(this, 'probeOAuth2Api', {
						method: 'GET',
						url: 'https://api.probe.test/me',
						json: true,
					})) as { user: string })
				: undefined;
			out.push({ json: { id, fresh, user: body?.user }, pairedItem: { item: i } });
		}
		return [out];
	}
}

const workflow = (items: object[]) => ({
	nodes: [
		{
			id: '1',
			name: 'Items',
			type: HARNESS_ITEMS_TYPE,
			typeVersion: 1,
			position: [0, 0] as [number, number],
			parameters: { items: JSON.stringify(items) },
		},
		{
			id: '2',
			name: 'Probe',
			type: 'test.probe',
			typeVersion: 1,
			position: [200, 0] as [number, number],
			parameters: {},
			credentials: { probeOAuth2Api: { id: 'cred-1', name: 'Probe account' } },
		},
	],
	connections: { Items: { main: [[{ node: 'Probe', type: 'main' as const, index: 0 }]] } },
});

describe('engine harness', () => {
	let harness: EngineHarness;

	beforeEach(() => {
		nock.disableNetConnect();
		harness = new EngineHarness({
			nodeTypes: { 'test.probe': new ProbeNode() },
			credentialTypes: [new ProbeOAuth2Api()],
		});
		harness.addCredential({
			id: 'cred-1',
			name: 'Probe account',
			type: 'probeOAuth2Api',
			data: {
				grantType: 'authorizationCode',
				clientId: 'client-id',
				clientSecret: 'client-secret',
				accessTokenUrl: 'https://auth.probe.test/token',
				authUrl: 'https://auth.probe.test/authorize',
				authentication: 'body',
				oauthTokenData: {
					access_token: 'expired-token',
					refresh_token: 'refresh-1',
					token_type: 'Bearer',
				},
			},
		});
	});

	afterEach(() => {
		nock.cleanAll();
		nock.enableNetConnect();
	});

	it('runs a node through the real engine, refreshes an expired OAuth2 token via n8n-core and stores it', async () => {
		const api = nock('https://api.probe.test');
		api
			.get('/me')
			.matchHeader('authorization', 'Bearer expired-token')
			.reply(401, { message: 'expired' });
		const token = nock('https://auth.probe.test')
			.post(
				'/token',
				(body: Record<string, string>) =>
					body.grant_type === 'refresh_token' && body.refresh_token === 'refresh-1',
			)
			.reply(200, {
				access_token: 'fresh-token',
				refresh_token: 'refresh-2',
				token_type: 'Bearer',
				expires_in: 1800,
			});
		api
			.get('/me')
			.twice()
			.matchHeader('authorization', 'Bearer fresh-token')
			.reply(200, { user: 'ana' });

		const result = await harness.run(workflow([{ id: 'a' }, { id: 'b' }]));

		expect(result.error('Probe')).toBeUndefined();
		const [items] = result.output('Probe');
		expect(items.map((i) => i.json)).toEqual([
			{ id: 'a', fresh: true, user: 'ana' },
			{ id: 'b', fresh: true, user: 'ana' },
		]);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(token.isDone()).toBe(true);
		const stored = harness.credentials.stored('cred-1')!.data.oauthTokenData as Record<
			string,
			unknown
		>;
		expect(stored.access_token).toBe('fresh-token');
		expect(harness.credentials.updates).toEqual([
			{ type: 'probeOAuth2Api', kind: 'oauthTokenData' },
		]);
	});

	it('keeps processed ids across runs like n8n’s database', async () => {
		nock('https://api.probe.test').get('/me').times(2).reply(200, { user: 'ana' });
		harness.credentials.stored('cred-1')!.data.oauthTokenData = {
			access_token: 'ok',
			token_type: 'Bearer',
		};

		await harness.run(workflow([{ id: 'a' }]));
		const second = await harness.run(workflow([{ id: 'a' }, { id: 'c' }]));

		expect(second.output('Probe')[0].map((i) => i.json.fresh)).toEqual([false, true]);
	});
});
