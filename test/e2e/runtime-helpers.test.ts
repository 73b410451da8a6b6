/**
 * Fast checks of the runtime's own logic (no n8n process): bounded waits, template credential filling, activation rules, sandbox credential
 * planning and the demo's curl line.
 */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { curlLine, demoWebhook } from '../../scripts/runtime/curl';
import { restCall } from '../../scripts/runtime/n8nApi';
import { freePorts } from '../../scripts/runtime/ports';
import { systemPath } from '../../scripts/runtime/processes';
import {
	crmOfCredentialType,
	planSandboxCredentials,
} from '../../scripts/runtime/sandboxCredentials';
import { waitFor } from '../../scripts/runtime/waitFor';
import {
	newWebhookAuth,
	WEBHOOK_AUTH_CREDENTIAL_TYPE,
	webhookAuthCredential,
} from '../../scripts/runtime/webhookAuth';
import {
	isActivatable,
	readTemplates,
	webhookEndpoints,
	withCredentials,
	type WorkflowTemplate,
} from '../../scripts/runtime/workflows';

test('npm runs with the machine PATH, not node_modules/.bin', () => {
	expect(
		systemPath(
			['/repo/node_modules/.bin', '/usr/local/bin', '/x/node_modules/.bin', '/usr/bin'].join(':'),
		),
	).toBe('/usr/local/bin:/usr/bin');
	const which = spawnSync('sh', ['-c', 'command -v npm'], {
		env: { PATH: systemPath() },
		encoding: 'utf8',
	});
	expect(which.stdout).not.toMatch(/node_modules/);
});

describe('waitFor', () => {
	test('returns the first defined value and treats throws as "not yet"', async () => {
		let calls = 0;
		const value = await waitFor(
			async () => {
				calls += 1;
				if (calls === 1) throw new Error('ECONNREFUSED');
				return calls === 3 ? 'ready' : undefined;
			},
			{ timeoutMs: 1000, what: 'x', sleep: async () => undefined },
		);
		expect({ value, calls }).toEqual({ value: 'ready', calls: 3 });
	});

	test('times out with what it waited for and the last reason, on an injected clock', async () => {
		let now = 0;
		const sleeps: number[] = [];
		await expect(
			waitFor(
				async () => {
					throw new Error('connection refused');
				},
				{
					timeoutMs: 5000,
					intervalMs: 1000,
					what: 'n8n readiness',
					now: () => now,
					sleep: async (ms) => void (sleeps.push(ms), (now += ms)),
				},
			),
		).rejects.toThrow(
			'Timed out after 5000 ms waiting for n8n readiness (last: connection refused)',
		);
		expect(sleeps).toEqual([1000, 1000, 1000, 1000, 1000]);
	});

	test('stopOn errors end the wait at once', async () => {
		class Fatal extends Error {}
		let calls = 0;
		await expect(
			waitFor(
				async () => {
					calls += 1;
					throw new Fatal('n8n exited');
				},
				{ timeoutMs: 60_000, what: 'x', stopOn: Fatal, sleep: async () => undefined },
			),
		).rejects.toThrow('n8n exited');
		expect(calls).toBe(1);
	});
});

test('freePorts gives distinct bindable ports', async () => {
	const ports = await freePorts(3);
	expect(new Set(ports).size).toBe(3);
	for (const port of ports) expect(port).toBeGreaterThan(0);
});

const template: WorkflowTemplate = {
	name: 'Call → HubSpot',
	nodes: [
		{
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			parameters: { httpMethod: 'POST', path: '/call-ended' },
		},
		{
			name: 'Link',
			type: 'n8n-nodes-crm-sync.crmLink',
			credentials: {
				hubSpotPrivateAppApi: { name: 'placeholder' },
				salesforceClientCredentialsApi: {},
			},
		},
		{ name: 'Plain', type: 'n8n-nodes-base.set' },
	],
	connections: {},
};

test('withCredentials fills ids by credential type and reports the types it could not fill', () => {
	const { template: filled, missing } = withCredentials(template, {
		hubSpotPrivateAppApi: { id: 'c1', name: 'Sandbox HubSpot', type: 'hubSpotPrivateAppApi' },
	});
	expect(filled.nodes[1].credentials).toEqual({
		hubSpotPrivateAppApi: { id: 'c1', name: 'Sandbox HubSpot' },
	});
	expect(filled.nodes[2]).toBe(template.nodes[2]);
	expect(missing).toEqual(['salesforceClientCredentialsApi']);
	expect(template.nodes[1].credentials).toEqual({
		hubSpotPrivateAppApi: { name: 'placeholder' },
		salesforceClientCredentialsApi: {},
	});
});

test('activation and webhook discovery', () => {
	expect(isActivatable(template)).toBe(true);
	expect(
		isActivatable({ ...template, nodes: [{ name: 'M', type: 'n8n-nodes-base.manualTrigger' }] }),
	).toBe(false);
	expect(
		isActivatable({
			...template,
			nodes: [{ name: 'T', type: 'n8n-nodes-crm-sync.crmSyncTrigger' }],
		}),
	).toBe(true);
	expect(webhookEndpoints(template)).toEqual([
		{ node: 'Webhook', method: 'POST', path: 'webhook/call-ended' },
	]);
	expect(
		webhookEndpoints({
			...template,
			nodes: [{ name: 'W', type: 'n8n-nodes-base.webhook', webhookId: 'abc', parameters: {} }],
		}),
	).toEqual([{ node: 'W', method: 'GET', path: 'webhook/abc' }]);
});

test('sandbox credentials: key modes filled with sandbox hosts, interactive OAuth2 skipped', () => {
	expect(
		[
			'hubSpotPrivateAppApi',
			'salesforceOAuth2Api',
			'dynamicsClientCredentialsApi',
			'autochatApi',
			'slackApi',
		].map(crmOfCredentialType),
	).toEqual(['hubspot', 'salesforce', 'dynamics', 'autochat', undefined]);
	const plan = planSandboxCredentials(
		[
			{
				name: 'hubSpotPrivateAppApi',
				displayName: 'HubSpot Private App',
				extends: [],
				properties: [
					{ name: 'accessToken', type: 'string' },
					{ name: 'useCustomHosts', type: 'boolean' },
					{ name: 'apiBaseUrl', type: 'string' },
					{ name: 'other', type: 'string' },
				],
			},
			{
				name: 'hubSpotOAuth2Api',
				displayName: 'HubSpot OAuth2',
				extends: ['oAuth2Api'],
				properties: [],
			},
		],
		'http://127.0.0.1:4000/',
	);
	expect(plan).toEqual({
		create: [
			{
				name: 'Sandbox HubSpot Private App',
				type: 'hubSpotPrivateAppApi',
				data: {
					accessToken: 'pat-sandbox-demo',
					useCustomHosts: true,
					apiBaseUrl: 'http://127.0.0.1:4000/hubspot',
				},
			},
		],
		skipped: [{ type: 'hubSpotOAuth2Api', reason: 'interactive OAuth2 needs a browser consent' }],
	});
});

test('the demo curl line is one copy-pasteable POST of the sample call', () => {
	const workflows = [
		{
			id: '1',
			name: 'inactive',
			file: 'a.json',
			active: false,
			missingCredentials: [],
			webhooks: [{ node: 'W', method: 'POST', path: 'webhook/a' }],
		},
		{
			id: '2',
			name: 'get',
			file: 'b.json',
			active: true,
			missingCredentials: [],
			webhooks: [{ node: 'W', method: 'GET', path: 'webhook/b' }],
		},
		{
			id: '3',
			name: 'post',
			file: 'c.json',
			active: true,
			missingCredentials: [],
			webhooks: [{ node: 'W', method: 'POST', path: 'webhook/c' }],
		},
	];
	const target = demoWebhook(workflows)!;
	expect(target.workflow.id).toBe('3');
	expect(demoWebhook(workflows.slice(0, 1))).toBeUndefined();
	const main = {
		id: '4',
		name: 'main',
		file: 'call-processed-to-crm.json',
		active: true,
		missingCredentials: [],
		webhooks: [{ node: 'W', method: 'POST', path: 'webhook/call-processed' }],
	};
	expect(demoWebhook([...workflows, main])!.workflow.id).toBe('4');
	const line = curlLine('http://localhost:5678', target.webhook, "/tmp/it's here/sample-call.json");
	expect(line).toBe(
		`curl -sS -X POST 'http://localhost:5678/webhook/c' -H 'Content-Type: application/json' --data-binary @'/tmp/it'\\''s here/sample-call.json'`,
	);
	expect(line.split('\n')).toHaveLength(1);
	const withSecret = curlLine('http://localhost:5678', target.webhook, '/tmp/sample-call.json', {
		header: 'X-CRM-Sync-Secret',
		value: 'abc_-123',
	});
	expect(withSecret).toBe(
		`curl -sS -X POST 'http://localhost:5678/webhook/c' -H 'Content-Type: application/json' -H 'X-CRM-Sync-Secret: abc_-123' --data-binary @'/tmp/sample-call.json'`,
	);
});

test('each webhook secret is new, long and shell- and header-safe', () => {
	const secrets = Array.from({ length: 20 }, () => newWebhookAuth());
	expect(new Set(secrets.map((secret) => secret.value)).size).toBe(20);
	for (const secret of secrets) {
		expect(secret.header).toBe('X-CRM-Sync-Secret');
		expect(secret.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
	}
	expect(webhookAuthCredential(secrets[0]!)).toEqual({
		name: 'Webhook secret',
		type: 'httpHeaderAuth',
		data: { name: 'X-CRM-Sync-Secret', value: secrets[0]!.value },
	});
});

test('every template webhook requires Header Auth and names its credential without an id', async () => {
	const templates = await readTemplates(join(__dirname, '..', '..', 'workflows-templates'));
	const webhooks = templates.flatMap(({ file, template }) =>
		template.nodes
			.filter((node) => node.type === 'n8n-nodes-base.webhook')
			.map((node) => ({ file, node })),
	);
	expect(webhooks.length).toBeGreaterThanOrEqual(5);
	for (const { file, node } of webhooks) {
		expect({ file, authentication: node.parameters?.authentication }).toEqual({
			file,
			authentication: 'headerAuth',
		});
		expect({ file, credentials: node.credentials }).toEqual({
			file,
			credentials: { [WEBHOOK_AUTH_CREDENTIAL_TYPE]: { name: 'Webhook secret' } },
		});
	}
	for (const { file, template } of templates) {
		for (const node of template.nodes)
			for (const credential of Object.values(node.credentials ?? {}))
				expect({ file, node: node.name, id: credential.id }).toEqual({
					file,
					node: node.name,
					id: undefined,
				});
	}
});

test('a read whose kept-alive connection n8n resets is asked once more; a write is never repeated', async () => {
	const seen: string[] = [];
	const server = createServer((request, response) => {
		seen.push(request.method ?? '');
		// The first request of each method finds its socket reset (TCP RST), as n8n's server
		// does to an idle kept-alive socket under load.
		if (seen.filter((method) => method === request.method).length === 1) {
			request.socket.resetAndDestroy();
			return;
		}
		response.setHeader('content-type', 'application/json');
		response.end(JSON.stringify({ data: { ok: true } }));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const session = { baseUrl: `http://127.0.0.1:${port}`, cookie: 'n8n-auth=x', browserId: 'b' };
	try {
		await expect(restCall(session, 'GET', '/workflows')).resolves.toEqual({ ok: true });
		await expect(restCall(session, 'POST', '/workflows', {})).rejects.toThrow(/fetch failed/);
		expect(seen).toEqual(['GET', 'GET', 'POST']);
	} finally {
		server.close();
	}
});
