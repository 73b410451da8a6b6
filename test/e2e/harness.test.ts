/**
 * Proves the e2e harness itself: a real n8n 2.41 process with the built pack linked as a
 * community package, the owner and API key bootstrapped, sandbox credentials created, a
 * workflow imported and activated, and its production webhook answered by an execution that
 * ran a Code node in n8n's task runner. Then stop() leaves no process behind.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sessionGet } from '../../scripts/runtime/n8nApi';
import { packCredentialTypes, packNodeTypeNames } from '../../scripts/runtime/packInfo';
import { groupAlive } from '../../scripts/runtime/processes';
import { planSandboxCredentials } from '../../scripts/runtime/sandboxCredentials';
import { WEBHOOK_AUTH_CREDENTIAL_TYPE } from '../../scripts/runtime/webhookAuth';
import { importWorkflows, isActivatable, readTemplates } from '../../scripts/runtime/workflows';
import {
	E2E_TEST_TIMEOUT_MS,
	postJson,
	REPO_ROOT,
	startE2eStack,
	STACK_START_TIMEOUT_MS,
	type E2eStack,
} from './harness';

let stack: E2eStack;

beforeAll(async () => {
	stack = await startE2eStack();
}, STACK_START_TIMEOUT_MS);

afterAll(async () => {
	await stack?.teardown();
}, 60_000);

/** Processes in n8n's process group (n8n itself and the task runner it spawns). */
function groupMembers(pgid: number): number[] {
	try {
		return execFileSync('pgrep', ['-g', String(pgid)], { encoding: 'utf8' })
			.trim()
			.split('\n')
			.filter(Boolean)
			.map(Number);
	} catch {
		return []; // pgrep exits 1 when nothing matches
	}
}

test(
	'n8n lists every credential type the pack declares',
	async () => {
		const declared = packCredentialTypes(REPO_ROOT).map((type) => type.name);
		expect(declared.length).toBeGreaterThan(0);
		const listed = await sessionGet<Array<{ name: string }>>(
			stack.session,
			'/types/credentials.json',
		);
		const names = new Set(listed.map((type) => type.name));
		expect(declared.filter((name) => !names.has(name))).toEqual([]);
		for (const name of declared) {
			const schema = await stack.api.request<{ type: string; properties: Record<string, unknown> }>(
				'GET',
				`/credentials/schema/${name}`,
			);
			expect(schema.type).toBe('object');
		}
	},
	E2E_TEST_TIMEOUT_MS,
);

test(
	'n8n lists every node the pack declares under the community package name',
	async () => {
		const listed = new Set(
			(await sessionGet<Array<{ name: string }>>(stack.session, '/types/nodes.json')).map(
				(node) => node.name,
			),
		);
		expect(listed.has('n8n-nodes-base.webhook')).toBe(true);
		const declared = packNodeTypeNames(REPO_ROOT).map((name) => `n8n-nodes-crm-sync.${name}`);
		expect(declared.filter((name) => !listed.has(name))).toEqual([]);
	},
	E2E_TEST_TIMEOUT_MS,
);

test(
	'a sandbox credential exists for every key-mode credential type of the pack, plus the webhook secret and the sandbox outbox (SMTP)',
	() => {
		const plan = planSandboxCredentials(packCredentialTypes(REPO_ROOT), stack.sandbox!.url);
		expect(Object.keys(stack.credentials).sort()).toEqual(
			[...plan.create.map((input) => input.type), WEBHOOK_AUTH_CREDENTIAL_TYPE, 'smtp'].sort(),
		);
		expect(stack.skippedCredentials).toEqual(plan.skipped);
	},
	E2E_TEST_TIMEOUT_MS,
);

test(
	"each sandbox credential passes n8n's own connection test against the sandbox",
	async () => {
		const results: Record<string, { status: string; message: string }> = {};
		// The webhook secret (Header Auth) is not a CRM credential and has nothing to connect to.
		const crmCredentials = Object.values(stack.credentials).filter(
			(credential) => credential.type !== WEBHOOK_AUTH_CREDENTIAL_TYPE,
		);
		for (const credential of crmCredentials) {
			results[credential.type] = await stack.api.request(
				'POST',
				`/credentials/${credential.id}/test`,
			);
		}
		const expected = Object.fromEntries(
			crmCredentials.map((credential) => [
				credential.type,
				expect.objectContaining({ status: 'OK' }),
			]),
		);
		expect(results).toEqual(expected);
		expect(Object.keys(results).length).toBeGreaterThan(0);
	},
	E2E_TEST_TIMEOUT_MS,
);

test(
	'every workflow template is imported, and the ones with a trigger are active',
	async () => {
		const templates = await readTemplates(join(REPO_ROOT, 'workflows-templates'));
		expect(stack.workflows.map((workflow) => workflow.file)).toEqual(
			templates.map((template) => template.file),
		);
		for (const { file, template } of templates) {
			const imported = stack.workflows.find((workflow) => workflow.file === file)!;
			const saved = await stack.api.request<{ active: boolean; name: string }>(
				'GET',
				`/workflows/${imported.id}`,
			);
			expect({ file, name: saved.name, active: saved.active }).toEqual({
				file,
				name: template.name,
				active: isActivatable(template),
			});
			expect(imported.missingCredentials).toEqual([]);
		}
		expect(
			readdirSync(join(REPO_ROOT, 'workflows-templates')).filter((file) => file.endsWith('.json'))
				.length,
		).toBe(templates.length);
	},
	E2E_TEST_TIMEOUT_MS,
);

test(
	'an imported workflow is activated and its production webhook runs it (Code node in the task runner)',
	async () => {
		const [imported] = await importWorkflows(
			stack.api,
			join(__dirname, 'fixtures', 'harness'),
			stack.credentials,
		);
		expect(imported.active).toBe(true);
		expect(imported.webhooks).toEqual([
			{ node: 'Call webhook', method: 'POST', path: 'webhook/e2e-harness-echo' },
		]);
		const saved = await stack.api.request<{ active: boolean }>('GET', `/workflows/${imported.id}`);
		expect(saved.active).toBe(true);

		const numbers = Array.from({ length: 5 }, () => Math.floor(Math.random() * 1000));
		const call = JSON.parse(
			readFileSync(join(REPO_ROOT, 'scripts', 'demo', 'sample-call.json'), 'utf8'),
		) as { id: string; participants: unknown[] };
		const { status, json } = await postJson(`${stack.n8n.baseUrl}/${imported.webhooks[0].path}`, {
			...call,
			numbers,
		});
		expect({ status, json }).toEqual({
			status: 200,
			json: {
				conversationId: call.id,
				participants: call.participants.length,
				checksum: numbers.reduce((sum, n) => sum + n, 0),
			},
		});

		const executions = await stack.api.request<{
			data: Array<{ workflowId: string; status: string }>;
		}>('GET', `/executions?workflowId=${imported.id}`);
		expect(executions.data.map((execution) => execution.status)).toEqual(['success']);
		// n8n and the task runner that ran the Code node share n8n's process group.
		expect(groupMembers(stack.n8n.pid).length).toBeGreaterThanOrEqual(2);
	},
	E2E_TEST_TIMEOUT_MS,
);

test(
	'stop() ends n8n, its task runner and the sandbox',
	async () => {
		const sandboxUrl = stack.sandbox!.url;
		await stack.stop();
		expect(groupAlive(stack.n8n.pid)).toBe(false);
		expect(groupMembers(stack.n8n.pid)).toEqual([]);
		await expect(fetch(`${stack.n8n.baseUrl}/healthz/readiness`)).rejects.toThrow();
		await expect(fetch(`${sandboxUrl}/__admin/counters`)).rejects.toThrow();
	},
	E2E_TEST_TIMEOUT_MS,
);
