/**
 * The n8n adapter of DynamicsHttp, run inside n8n's real engine (n8n-core's execution and
 * its httpRequestWithAuthentication): n8n signs the Dataverse calls from the stored OAuth2
 * credential, 4xx come back as responses so the shared transport decides, a 401 refreshes
 * the token through n8n (stored back in the credential store) and multipart $batch answers
 * arrive as text.
 */
import nock from 'nock';
import type {
	ICredentialType,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
} from 'n8n-workflow';

import { createDynamicsProvider } from '../../../nodes/shared/providers/dynamics';
import { n8nDynamicsHttp } from '../../../nodes/shared/providers/dynamics/n8nHttp';
import { EngineHarness, HARNESS_ITEMS_TYPE } from '../../nodes/harness/runWorkflow';
import { API, BATCH_PATH, batchResponse, jsonPart, ORG } from './support';

const CREDENTIAL = 'probeDynamicsOAuth2Api';
const USER = 'e0000000-0000-0000-0000-000000000001';
const CONTACT = 'c0000000-0000-0000-0000-000000000001';

class ProbeDynamicsOAuth2Api implements ICredentialType {
	name = CREDENTIAL;
	extends = ['oAuth2Api'];
	displayName = 'Probe Dynamics OAuth2 API';
	properties = [];
}

/** A test-only node: resolves an owner and matches an e-mail through the provider on n8n's helper. */
class DynamicsProbeNode implements INodeType {
	description = {
		displayName: 'Dynamics Probe',
		name: 'dynamicsProbe',
		group: ['transform'],
		version: 1,
		description: 'test node',
		defaults: { name: 'Dynamics Probe' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: CREDENTIAL, required: true }],
		properties: [],
	} as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const helpers = this.helpers as unknown as {
			refreshOAuth2Token(this: IExecuteFunctions, type: string): Promise<Record<string, unknown>>;
		};
		const provider = createDynamicsProvider({
			orgUrl: ORG,
			limiterKey: 'n8n-adapter-test',
			// n8n signs each request; the token here only feeds the transport's redaction list.
			tokens: {
				getAccessToken: async () => 'n8n-managed',
				// n8n-core's helper needs the execution context as `this`.
				refresh: async () =>
					String((await helpers.refreshOAuth2Token.call(this, CREDENTIAL)).access_token),
			},
			http: n8nDynamicsHttp(this, CREDENTIAL),
			transport: { sleep: async () => undefined },
		});
		const owners = await provider.resolveOwners(['ann@contoso.com']);
		const [matches] = await provider.findMatches(
			[{ phones: [], emails: ['jo@acme.com'], domains: [] }],
			{
				kinds: ['contact'],
				openDealsOnly: true,
			},
		);
		return [
			[
				{
					json: {
						owner: owners.get('ann@contoso.com') ?? null,
						contacts: matches.contact.map((ref) => ref.id),
						calls: provider.usage().calls,
					},
					pairedItem: { item: 0 },
				},
			],
		];
	}
}

const workflow = {
	nodes: [
		{
			id: '1',
			name: 'Items',
			type: HARNESS_ITEMS_TYPE,
			typeVersion: 1,
			position: [0, 0] as [number, number],
			parameters: { items: JSON.stringify([{ id: 1 }]) },
		},
		{
			id: '2',
			name: 'Probe',
			type: 'test.dynamicsProbe',
			typeVersion: 1,
			position: [200, 0] as [number, number],
			parameters: {},
			credentials: { [CREDENTIAL]: { id: 'dyn-1', name: 'Dynamics' } },
		},
	],
	connections: { Items: { main: [[{ node: 'Probe', type: 'main' as const, index: 0 }]] } },
};

describe('n8nDynamicsHttp inside the n8n engine', () => {
	beforeEach(() => {
		nock.disableNetConnect();
		nock.enableNetConnect('127.0.0.1');
	});
	afterEach(() => {
		nock.cleanAll();
		nock.enableNetConnect();
	});

	it('lets n8n sign every call, refreshes once on 401 through n8n, and reads a multipart $batch answer as text', async () => {
		const harness = new EngineHarness({
			nodeTypes: { 'test.dynamicsProbe': new DynamicsProbeNode() },
			credentialTypes: [new ProbeDynamicsOAuth2Api()],
		});
		harness.addCredential({
			id: 'dyn-1',
			name: 'Dynamics',
			type: CREDENTIAL,
			data: {
				grantType: 'authorizationCode',
				clientId: 'client-id',
				clientSecret: 'client-secret',
				accessTokenUrl: 'https://login.microsoftonline.test/tenant/oauth2/v2.0/token',
				authUrl: 'https://login.microsoftonline.test/tenant/oauth2/v2.0/authorize',
				authentication: 'body',
				oauthTokenData: {
					access_token: 'expired-token',
					refresh_token: 'refresh-1',
					token_type: 'Bearer',
				},
			},
		});
		const dataverse = nock(ORG);
		dataverse
			.get(`${API}/systemusers`)
			.query(true)
			.matchHeader('authorization', 'Bearer expired-token')
			.reply(401, { error: { code: '0x80072243', message: 'The access token has expired.' } });
		const tokenEndpoint = nock('https://login.microsoftonline.test')
			.post(
				'/tenant/oauth2/v2.0/token',
				(body: Record<string, string>) =>
					body.grant_type === 'refresh_token' && body.refresh_token === 'refresh-1',
			)
			.reply(200, {
				access_token: 'fresh-token',
				refresh_token: 'refresh-2',
				token_type: 'Bearer',
				expires_in: 3600,
			});
		dataverse
			.get(`${API}/systemusers`)
			.query(true)
			.matchHeader('authorization', 'Bearer fresh-token')
			.matchHeader('odata-version', '4.0')
			.reply(200, { value: [{ systemuserid: USER, internalemailaddress: 'ann@contoso.com' }] });
		dataverse
			.post(
				BATCH_PATH,
				(body: string) =>
					typeof body === 'string' && body.includes("emailaddress1%20eq%20'jo%40acme.com'"),
			)
			.matchHeader('authorization', 'Bearer fresh-token')
			.matchHeader('content-type', /^multipart\/mixed; boundary=batch_/)
			.reply(
				...batchResponse([
					jsonPart(200, { value: [{ contactid: CONTACT, emailaddress1: 'Jo@Acme.com' }] }),
				]),
			);

		const result = await harness.run(workflow);

		expect(result.error('Probe')).toBeUndefined();
		expect(result.output('Probe')[0].map((item) => item.json)).toEqual([
			{ owner: USER, contacts: [CONTACT], calls: 3 },
		]);
		expect(tokenEndpoint.isDone()).toBe(true);
		expect(dataverse.pendingMocks()).toEqual([]);
		const stored = harness.credentials.stored('dyn-1')!.data.oauthTokenData as Record<
			string,
			unknown
		>;
		expect(stored.access_token).toBe('fresh-token');
	});
});
