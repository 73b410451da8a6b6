/**
 * The committed runtime lock installs for real: `npm ci` into an empty cache folder gives
 * the pinned n8n on the pinned Node, and that n8n starts and loads the built pack. This is
 * the one test that pays for a cold install (~5 min); every other e2e file reuses the cache.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sessionGet } from '../../scripts/runtime/n8nApi';
import { packNodeTypeNames } from '../../scripts/runtime/packInfo';
import { readRuntimeDefinition } from '../../scripts/runtime/runtimePackage';
import { startStack, type Stack } from '../../scripts/runtime/stack';
import { REPO_ROOT } from './harness';

const COLD_INSTALL_TIMEOUT_MS = 25 * 60_000;

let cacheRoot: string;
let userFolder: string;
let stack: Stack | undefined;
const lines: string[] = [];

beforeAll(async () => {
	cacheRoot = await mkdtemp(join(tmpdir(), 'crm-sync-empty-cache-'));
	userFolder = await mkdtemp(join(tmpdir(), 'crm-sync-install-e2e-'));
	stack = await startStack({
		repoRoot: REPO_ROOT,
		userFolder,
		runtimeCacheRoot: cacheRoot,
		sandbox: false,
		templatesDir: false,
		log: (line) => void lines.push(line),
	});
}, COLD_INSTALL_TIMEOUT_MS);

afterAll(async () => {
	await stack?.stop();
	await rm(userFolder, { recursive: true, force: true });
	await rm(cacheRoot, { recursive: true, force: true });
}, 120_000);

test('npm ci from the committed lock into an empty cache installs the pinned n8n and Node', () => {
	const definition = readRuntimeDefinition(REPO_ROOT);
	expect(stack?.runtime).toMatchObject({ installed: true, n8nVersion: definition.n8nVersion });
	expect(stack?.runtime.dir.startsWith(join(cacheRoot, 'n8n-runtime'))).toBe(true);
	expect(lines.join('\n')).toMatch(
		/installing from scripts\/runtime\/n8n-runtime\/package-lock\.json/,
	);
	process.stdout.write(
		`cold runtime install from the lock: ${((stack?.runtime.installMs ?? 0) / 1000).toFixed(0)} s\n`,
	);
});

test('the freshly installed n8n reports its version and loads every node of the pack', async () => {
	const settings = await sessionGet<{ data: { versionCli?: string } }>(
		stack!.session,
		'/rest/settings',
	);
	expect(settings.data.versionCli).toBe(readRuntimeDefinition(REPO_ROOT).n8nVersion);
	const listed = new Set(
		(await sessionGet<Array<{ name: string }>>(stack!.session, '/types/nodes.json')).map(
			(node) => node.name,
		),
	);
	const declared = packNodeTypeNames(REPO_ROOT).map((name) => `n8n-nodes-crm-sync.${name}`);
	expect(declared.length).toBeGreaterThan(0);
	expect(declared.filter((name) => !listed.has(name))).toEqual([]);
});
