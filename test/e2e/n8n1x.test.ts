/**
 * The pack on the last n8n 1.x release (scripts/runtime/n8n-runtime-1x: n8n 1.123 on Node 22),
 * the version many self-hosters still run. The packed tarball is installed as n8n's Community
 * Nodes installer does, so the pack runs with n8n 1.x's own n8n-workflow; n8n then loads every
 * node and credential of the pack, and the call-processed template runs end to end against the
 * CRM sandbox: a call is written once, and a bad call takes the error branch. The runtime is
 * cached like the current one (`npm run runtime:install` installs both); the other e2e files
 * cover n8n 2.x in depth.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packTarball, type PackedPack } from '../../scripts/package/packTarball';
import { installN8n } from '../../scripts/runtime/installN8n';
import { sessionGet } from '../../scripts/runtime/n8nApi';
import { packCredentialTypes, packNodeTypeNames } from '../../scripts/runtime/packInfo';
import { N8N_1X_RUNTIME, readRuntimeDefinition } from '../../scripts/runtime/runtimePackage';
import { installLikeCommunityNodes } from './communityInstall';
import {
	postJson,
	REPO_ROOT,
	secretHeader,
	startE2eStack,
	STACK_START_TIMEOUT_MS,
	type E2eStack,
} from './harness';

const TEMPLATE = 'call-processed-to-crm.json';
let stack: E2eStack;
let packed: PackedPack;
let templatesDir: string;

beforeAll(async () => {
	packed = await packTarball(REPO_ROOT);
	const runtime = await installN8n({ repoRoot: REPO_ROOT, runtime: N8N_1X_RUNTIME });
	const userFolder = await mkdtemp(join(tmpdir(), 'crm-sync-e2e-1x-'));
	const installed = await installLikeCommunityNodes(packed.tarball, userFolder, runtime);
	templatesDir = await mkdtemp(join(tmpdir(), 'crm-sync-1x-templates-'));
	await copyFile(
		join(installed.packageDir, 'workflows-templates', TEMPLATE),
		join(templatesDir, TEMPLATE),
	);
	// n8n 1.x's public API has no data-tables endpoint; the template writes its sync-log table only
	// after answering a failure, and that write is not what this smoke checks.
	stack = await startE2eStack({
		runtime: N8N_1X_RUNTIME,
		userFolder,
		packInstalled: true,
		templatesDir,
	});
}, STACK_START_TIMEOUT_MS);

afterAll(async () => {
	await stack?.teardown();
	await packed?.cleanup();
	if (templatesDir) await rm(templatesDir, { recursive: true, force: true });
});

const call = (id: string) => ({
	id,
	startedAt: '2026-11-20T14:00:00Z',
	endedAt: '2026-11-20T14:25:00Z',
	direction: 'outbound',
	participants: [
		{ name: 'Sam Seller', email: 'sam@ours.example', internal: true },
		{ name: 'Alice Nguyen', phone: '+1 415 555 0101' },
	],
	summary: `n8n 1.x smoke (${id}): scope agreed, pricing next.`,
	actionItems: [{ text: `Send proposal (${id})` }, { text: `Book demo (${id})` }],
});

test('n8n 1.x on Node 22 loads every node and credential of the installed pack', async () => {
	const definition = readRuntimeDefinition(REPO_ROOT, N8N_1X_RUNTIME);
	expect(definition.n8nVersion).toMatch(/^1\./);
	expect(stack.runtime.nodeVersion).toMatch(/^22\./);
	const settings = await sessionGet<{ data: { versionCli?: string } }>(
		stack.session,
		'/rest/settings',
	);
	expect(settings.data.versionCli).toBe(definition.n8nVersion);
	const nodes = new Set(
		(await sessionGet<Array<{ name: string }>>(stack.session, '/types/nodes.json')).map(
			(node) => node.name,
		),
	);
	const declared = packNodeTypeNames(REPO_ROOT).map((name) => `n8n-nodes-crm-sync.${name}`);
	expect(declared).toHaveLength(packed.manifest.n8n?.nodes?.length ?? -1);
	expect(declared.filter((name) => !nodes.has(name))).toEqual([]);
	const credentials = new Set(
		(await sessionGet<Array<{ name: string }>>(stack.session, '/types/credentials.json')).map(
			(credential) => credential.name,
		),
	);
	expect(
		packCredentialTypes(REPO_ROOT)
			.map((credential) => credential.name)
			.filter((name) => !credentials.has(name)),
	).toEqual([]);
});

test('the call-processed template runs on n8n 1.x: one note on the matched deal, one task per action item, once', async () => {
	const sandbox = stack.sandbox!;
	expect(stack.workflows).toEqual([
		expect.objectContaining({ file: TEMPLATE, active: true, missingCredentials: [] }),
	]);
	const notesBefore = sandbox.store.list('hubspot', 'notes').length;
	const url = `${stack.n8n.publicUrl}/webhook/call-processed`;
	const first = await postJson(url, call('n8n-1x-smoke'), secretHeader(stack));
	expect(first.status).toBe(200);
	const body = first.json as {
		matched: boolean;
		notes: unknown[];
		syncLog: Array<{ operation: string; status: string }>;
	};
	expect(body.matched).toBe(true);
	expect(body.notes).toHaveLength(1);
	expect(body.syncLog.map((entry) => `${entry.operation}:${entry.status}`)).toEqual(
		expect.arrayContaining(['link:success', 'add-note:success', 'create-task:success']),
	);
	// A replay writes nothing twice: the write ledger works on 1.x's processed-items store too.
	expect((await postJson(url, call('n8n-1x-smoke'), secretHeader(stack))).status).toBe(200);
	expect(sandbox.store.list('hubspot', 'notes').length).toBe(notesBefore + 1);
	const tasks = sandbox.store
		.list('hubspot', 'tasks')
		.filter((task) => String(task.fields.hs_task_subject).includes('(n8n-1x-smoke)'));
	expect(tasks).toHaveLength(2);
});

test('on n8n 1.x a call the nodes refuse takes the error branch: answered as failed, nothing written', async () => {
	const sandbox = stack.sandbox!;
	const notesBefore = sandbox.store.list('hubspot', 'notes').length;
	const { startedAt: _omitted, ...withoutStart } = call('n8n-1x-bad');
	const answer = await postJson(
		`${stack.n8n.publicUrl}/webhook/call-processed`,
		withoutStart,
		secretHeader(stack),
	);
	// Not the success answer: n8n 1.x routes the failed item to the error output.
	expect(answer.status).toBeGreaterThanOrEqual(400);
	expect(answer.json).toMatchObject({
		status: 'failed',
		error: { reason: expect.stringContaining('startedAt') },
	});
	expect(sandbox.store.list('hubspot', 'notes').length).toBe(notesBefore);
});
