/**
 * The real peer: n8n's built-in HubSpot node and the pack's CRM Contact Field Merge, in the
 * same real n8n (2.41.1, the pinned runtime), each creating-or-updating the same number of
 * contacts against the CRM sandbox under HubSpot's 100 requests / 10 s.
 *
 * The built-in node calls https://api.hubapi.com itself; n8n honours HTTPS_PROXY, so a local
 * intercepting proxy (its CA trusted through NODE_EXTRA_CA_CERTS) hands those requests to the
 * sandbox. The pack's credential points at the sandbox directly. The built-in node runs as
 * most workflows have it: *Simplify Output* on (one call per item, its cheapest setting),
 * *On Error: Continue* so a refused item is counted instead of stopping the run, no retries.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createCredential } from '../../../scripts/runtime/credentials';
import { findRepoRoot } from '../../../scripts/runtime/repoRoot';
import { startStack, type Stack } from '../../../scripts/runtime/stack';
import { importWorkflows } from '../../../scripts/runtime/workflows';
import { makeInterceptionCertificates } from './certificates';
import { startInterceptingProxy } from './interceptingProxy';

export interface PeerRow {
	scenario: string;
	crm: string;
	records: number;
	apiCalls: number;
	physicalMinimum: number;
	perItemPattern: number;
	wallMs: number;
	failedItems: number;
	note: string;
}

interface RunSummary {
	items: number;
	failed: number;
	firstError: string | null;
}

const HUBSPOT_HOST = 'api.hubapi.com';

/** Webhook → N contacts (Code) → the writer → a summary of its items (the webhook's answer). */
function benchWorkflow(name: string, path: string, writer: Record<string, unknown>) {
	const contacts = `const { items, run } = $input.first().json.body;
return Array.from({ length: items }, (_, i) => ({
  json: { email: \`peer.\${run}.\${i}@bench.example\`, firstName: 'Peer', lastName: \`Contact \${i}\` },
}));`;
	const summary = `const all = $input.all();
const failed = all.filter((item) => item.json.error !== undefined);
return [{ json: { items: all.length, failed: failed.length, firstError: failed[0]?.json.error ?? null } }];`;
	return {
		name,
		nodes: [
			{
				name: 'Start',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				parameters: {
					httpMethod: 'POST',
					path,
					responseMode: 'lastNode',
					responseData: 'firstEntryJson',
					options: {},
				},
				webhookId: randomUUID(),
			},
			{
				name: 'Contacts',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: { jsCode: contacts },
			},
			{ name: 'Writer', position: [440, 0], onError: 'continueRegularOutput', ...writer },
			{
				name: 'Summary',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [660, 0],
				parameters: { jsCode: summary },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Contacts', type: 'main', index: 0 }]] },
			Contacts: { main: [[{ node: 'Writer', type: 'main', index: 0 }]] },
			Writer: { main: [[{ node: 'Summary', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

const BUILT_IN = {
	type: 'n8n-nodes-base.hubspot',
	typeVersion: 2.2,
	parameters: {
		authentication: 'appToken',
		resource: 'contact',
		operation: 'upsert',
		email: '={{ $json.email }}',
		additionalFields: { firstName: '={{ $json.firstName }}', lastName: '={{ $json.lastName }}' },
		options: { resolveData: true },
	},
	credentials: { hubspotAppToken: { name: 'Bench HubSpot service key' } },
};

const PACK_WRITER = {
	type: 'n8n-nodes-crm-sync.crmContactFieldMerge',
	typeVersion: 1,
	parameters: {
		crm: 'hubspot',
		hubspotAuthentication: 'privateApp',
		objectKind: 'contact',
		matchBy: 'email',
		matchValue: '={{ $json.email }}',
		fallBackToOtherKey: false,
		fields: {
			mappingMode: 'defineBelow',
			value: {
				email: '={{ $json.email }}',
				firstname: '={{ $json.firstName }}',
				lastname: '={{ $json.lastName }}',
			},
			matchingColumns: [],
			schema: [],
			attemptToConvertTypes: false,
			convertFieldsToString: false,
		},
		defaultMode: 'overwrite',
		createIfMissing: true,
	},
	credentials: { crmSyncHubSpotPrivateAppApi: { name: 'HubSpot private app' } },
};

async function runOnce(
	stack: Stack,
	path: string,
	items: number,
	run: string,
): Promise<RunSummary & { wallMs: number; apiCalls: number; stored: number }> {
	const sandbox = stack.sandbox!;
	sandbox.admin.resetRateLimits();
	sandbox.admin.clearRequests();
	const start = performance.now();
	const response = await fetch(`${stack.n8n.publicUrl.replace(/\/+$/, '')}/webhook/${path}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ items, run }),
		signal: AbortSignal.timeout(30 * 60_000),
	});
	const wallMs = performance.now() - start;
	const text = await response.text();
	if (!response.ok)
		throw new Error(`the ${path} run answered ${response.status}: ${text.slice(0, 300)}`);
	const summary = JSON.parse(text) as RunSummary;
	const apiCalls = sandbox.admin
		.requests('hubspot')
		.filter((request) => !request.path.includes('/oauth/')).length;
	// What the CRM holds, not what the node reported.
	const stored = sandbox.store
		.list('hubspot', 'contacts')
		.filter((record) => String(record.fields.email ?? '').startsWith(`peer.${run}.`)).length;
	return { ...summary, wallMs: Math.round(wallMs), apiCalls, stored };
}

export async function hubspotPeerRows(
	items: number,
	log: (line: string) => void,
): Promise<PeerRow[]> {
	const work = await mkdtemp(join(tmpdir(), 'crm-sync-peer-bench-'));
	let sandboxUrl = '';
	const certificates = await makeInterceptionCertificates(work, [HUBSPOT_HOST]);
	const proxy = await startInterceptingProxy(
		[{ host: HUBSPOT_HOST, target: () => `${sandboxUrl}/hubspot` }],
		certificates,
	);
	let stack: Stack | undefined;
	try {
		stack = await startStack({
			repoRoot: findRepoRoot(__dirname),
			userFolder: join(work, 'n8n'),
			templatesDir: false,
			sandboxSchema: 'standard',
			env: {
				HTTPS_PROXY: proxy.url,
				HTTP_PROXY: proxy.url,
				// n8n's own sockets (task runner, the sandbox the pack's credential points at) stay direct.
				NO_PROXY: '127.0.0.1,localhost',
				NODE_EXTRA_CA_CERTS: certificates.caFile,
			},
			log,
		});
		sandboxUrl = stack.sandbox!.url;
		const serviceKey = await createCredential(stack.api, {
			name: 'Bench HubSpot service key',
			type: 'hubspotAppToken',
			data: { appToken: 'pat-na1-bench-peer' },
		});
		const dir = join(work, 'workflows');
		await mkdir(dir, { recursive: true });
		await writeFile(
			join(dir, 'builtin.json'),
			JSON.stringify(benchWorkflow('Bench: n8n HubSpot node', 'bench-peer-builtin', BUILT_IN)),
		);
		await writeFile(
			join(dir, 'pack.json'),
			JSON.stringify(
				benchWorkflow('Bench: CRM Contact Field Merge', 'bench-peer-pack', PACK_WRITER),
			),
		);
		await importWorkflows(
			stack.api,
			dir,
			{ ...stack.credentials, hubspotAppToken: serviceKey },
			stack.session,
		);

		const builtIn = await runOnce(stack, 'bench-peer-builtin', items, 'builtin');
		log(`n8n HubSpot node: ${JSON.stringify(builtIn)}; proxy ${JSON.stringify(proxy.forwarded())}`);
		const pack = await runOnce(stack, 'bench-peer-pack', items, 'pack');
		log(`CRM Contact Field Merge: ${JSON.stringify(pack)}`);
		const row = (
			scenario: string,
			result: typeof builtIn,
			physicalMinimum: number,
			extra: string,
		): PeerRow => ({
			scenario,
			crm: 'hubspot',
			records: items,
			apiCalls: result.apiCalls,
			physicalMinimum,
			perItemPattern: items,
			wallMs: result.wallMs,
			failedItems: result.failed,
			note: `${result.stored} of ${items} contacts in the CRM, ${result.failed} items failed${result.firstError ? ` (first: ${String(result.firstError).slice(0, 80)})` : ''}; ${extra}`,
		});
		return [
			row(
				'peer: n8n HubSpot node, create or update contact',
				builtIn,
				Math.ceil(items / 100),
				'one call per item, no retry on 429',
			),
			row(
				"peer: the pack's Field Merge, create or update contact",
				pack,
				2 * Math.ceil(items / 100),
				'batch search + batch create/update, keeps to 100 requests / 10 s',
			),
		];
	} finally {
		await stack?.stop();
		await proxy.close();
		await rm(work, { recursive: true, force: true });
	}
}
