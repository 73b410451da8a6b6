/**
 * What a user gets today: the packed tarball installed into a fresh n8n user folder exactly as
 * n8n's Community Nodes installer does it (see communityInstall.ts), n8n 2.x started on that
 * folder with nothing linked from this repo, the templates imported from the installed package,
 * and the call-processed template run against the CRM sandbox.
 */
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packTarball, type PackedPack } from '../../scripts/package/packTarball';
import { installN8n } from '../../scripts/runtime/installN8n';
import { sessionGet } from '../../scripts/runtime/n8nApi';
import { packCredentialTypes, packNodeTypeNames } from '../../scripts/runtime/packInfo';
import { installLikeCommunityNodes, type CommunityInstall } from './communityInstall';
import {
	postJson,
	REPO_ROOT,
	secretHeader,
	startE2eStack,
	STACK_START_TIMEOUT_MS,
	type E2eStack,
} from './harness';

let packed: PackedPack;
let installed: CommunityInstall;
let stack: E2eStack;

beforeAll(async () => {
	packed = await packTarball(REPO_ROOT);
	const runtime = await installN8n({ repoRoot: REPO_ROOT });
	const userFolder = await mkdtemp(join(tmpdir(), 'crm-sync-e2e-community-'));
	installed = await installLikeCommunityNodes(packed.tarball, userFolder, runtime);
	stack = await startE2eStack({
		userFolder,
		packInstalled: true,
		templatesDir: join(installed.packageDir, 'workflows-templates'),
	});
	process.stdout.write(
		`community-style install of the tarball: ${(installed.installMs / 1000).toFixed(1)} s\n`,
	);
}, STACK_START_TIMEOUT_MS);

afterAll(async () => {
	await stack?.teardown();
	await packed?.cleanup();
});

test('the installer leaves a real package folder with its runtime dependencies and no n8n-workflow of its own', () => {
	const nodeModules = join(stack.userFolder, '.n8n', 'nodes', 'node_modules');
	expect(installed.packageDir).toBe(join(nodeModules, 'n8n-nodes-crm-sync'));
	expect(lstatSync(installed.packageDir).isSymbolicLink()).toBe(false);
	const manifest = JSON.parse(
		readFileSync(join(installed.packageDir, 'package.json'), 'utf8'),
	) as Record<string, unknown>;
	for (const stripped of ['devDependencies', 'peerDependencies', 'optionalDependencies'])
		expect(manifest).not.toHaveProperty(stripped);
	for (const dependency of Object.keys(installed.manifest.dependencies ?? {})) {
		expect(existsSync(join(installed.packageDir, 'node_modules', dependency, 'package.json'))).toBe(
			true,
		);
	}
	// n8n's own n8n-workflow serves the pack: none inside the package, none beside it.
	expect(existsSync(join(installed.packageDir, 'node_modules', 'n8n-workflow'))).toBe(false);
	expect(existsSync(join(nodeModules, 'n8n-workflow'))).toBe(false);
	expect(
		JSON.parse(readFileSync(join(stack.userFolder, '.n8n', 'nodes', 'package.json'), 'utf8')),
	).toMatchObject({
		dependencies: { 'n8n-nodes-crm-sync': packed.manifest.version },
	});
});

test('n8n loads every node and credential the installed package declares', async () => {
	const nodes = new Set(
		(await sessionGet<Array<{ name: string }>>(stack.session, '/types/nodes.json')).map(
			(node) => node.name,
		),
	);
	const credentials = new Set(
		(await sessionGet<Array<{ name: string }>>(stack.session, '/types/credentials.json')).map(
			(credential) => credential.name,
		),
	);
	// The type names, read from the repo's build (the same files the tarball holds).
	const declared = {
		nodes: packNodeTypeNames(REPO_ROOT),
		credentials: packCredentialTypes(REPO_ROOT).map((credential) => credential.name),
	};
	expect(declared.nodes).toHaveLength(packed.manifest.n8n?.nodes?.length ?? -1);
	expect(
		declared.nodes.map((name) => `n8n-nodes-crm-sync.${name}`).filter((name) => !nodes.has(name)),
	).toEqual([]);
	expect(declared.credentials.filter((name) => !credentials.has(name))).toEqual([]);
});

test('every template shipped in the tarball imports, and the call-processed one runs against the sandbox', async () => {
	expect(stack.workflows.map((workflow) => workflow.file).sort()).toEqual(
		packed.files
			.filter((file) => /^workflows-templates\/[^/]+\.json$/.test(file))
			.map((file) => file.split('/')[1])
			.sort(),
	);
	const sandbox = stack.sandbox!;
	const notesBefore = sandbox.store.list('hubspot', 'notes').length;
	const { status, json } = await postJson(
		`${stack.n8n.publicUrl}/webhook/call-processed`,
		{
			id: 'community-install-1',
			startedAt: '2026-11-20T14:00:00Z',
			endedAt: '2026-11-20T14:25:00Z',
			direction: 'outbound',
			participants: [
				{ name: 'Sam Seller', email: 'sam@ours.example', internal: true },
				{ name: 'Alice Nguyen', phone: '+1 415 555 0101' },
			],
			summary: 'Installed from the tarball: scope agreed.',
			actionItems: [{ text: 'Send proposal (community-install-1)' }],
		},
		secretHeader(stack),
	);
	expect(status).toBe(200);
	expect(
		(json as { syncLog: Array<{ operation: string; status: string }> }).syncLog.map(
			(entry) => `${entry.operation}:${entry.status}`,
		),
	).toEqual(expect.arrayContaining(['link:success', 'add-note:success', 'create-task:success']));
	expect(sandbox.store.list('hubspot', 'notes').length).toBe(notesBefore + 1);
});
