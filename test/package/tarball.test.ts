/**
 * The tarball `npm publish` would upload (`npm pack` of the built repo): what is in it, what its
 * package.json says, the release workflow that publishes it, and what a manual `npm install` of it
 * brings into an n8n nodes folder. Needs `npm run build` first (npm test does it).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { formatVersion, minimumOf, requiredNode } from '../../scripts/package/nodeEngines';
import { packTarball, type PackedPack } from '../../scripts/package/packTarball';
import { changelogHasVersion, metadataProblems } from '../../scripts/package/releaseChecks';
import { systemPath } from '../../scripts/runtime/processes';

const REPO_ROOT = resolve(__dirname, '..', '..');
const run = promisify(execFile);
let packed: PackedPack;

beforeAll(async () => {
	if (!existsSync(join(REPO_ROOT, 'dist', 'nodes')))
		throw new Error('dist/ is missing: run `npm run build` first');
	packed = await packTarball(REPO_ROOT);
}, 120_000);

afterAll(async () => {
	await packed?.cleanup();
});

/** Everything the package may hold: what n8n loads, the templates, and the usual package files. */
const ALLOWED = [
	/^dist\/(nodes|credentials)\/.+\.js$/,
	/^dist\/nodes\/.+\.node\.json$/, // codex: the node picker's categories and links
	/^dist\/(nodes|credentials)\/.+\.(svg|png)$/, // icons
	/^workflows-templates\/[^/]+\.json$/,
	/^(workflows-templates\/)?README\.md$/,
	/^(CHANGELOG\.md|LICENSE|package\.json|index\.js)$/,
];

test('the tarball holds the compiled nodes and credentials, icons, codex files and templates — no maps, sources or tests', () => {
	const unexpected = packed.files.filter((file) => !ALLOWED.some((pattern) => pattern.test(file)));
	expect(unexpected).toEqual([]);
	expect(
		packed.files.filter((file) =>
			/\.(map|ts)$|(^|\/)(test|tests|__tests__|fixtures?|sandbox|bench)\//.test(file),
		),
	).toEqual([]);
	for (const file of [
		'README.md',
		'CHANGELOG.md',
		'LICENSE',
		'package.json',
		'index.js',
		'workflows-templates/call-processed-to-crm.json',
	]) {
		expect(packed.files).toContain(file);
	}
});

test('every node and credential package.json declares is in the tarball, and every shipped node file is declared', () => {
	const declared = [
		...(packed.manifest.n8n?.nodes ?? []),
		...(packed.manifest.n8n?.credentials ?? []),
	];
	expect(declared.length).toBeGreaterThanOrEqual(15);
	expect(declared.filter((file) => !packed.files.includes(file))).toEqual([]);
	const shipped = packed.files.filter((file) => /\.(node|credentials)\.js$/.test(file));
	expect(shipped.sort()).toEqual([...declared].sort());
	// Each node's codex file sits beside it.
	for (const node of packed.manifest.n8n?.nodes ?? [])
		expect(packed.files).toContain(node.replace(/\.js$/, '.json'));
});

test('package.json: author, homepage, repository and bugs agree; n8n-workflow is an optional peer; nothing runs at install', () => {
	const manifest = packed.manifest;
	expect(metadataProblems(manifest)).toEqual([]);
	expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	expect(manifest.peerDependenciesMeta).toEqual({ 'n8n-workflow': { optional: true } });
	expect(Object.keys(manifest.dependencies ?? {})).not.toContain('n8n-workflow');
	expect(
		Object.keys(manifest.scripts ?? {}).filter((name) =>
			/^(pre|post)?install$|^prepare$/.test(name),
		),
	).toEqual([]);
	expect(manifest.n8n?.n8nNodesApiVersion).toBe(1);
	// What was packed is the repo's package.json (npm normalises nothing that matters here).
	const repoManifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
		version: string;
		engines: unknown;
	};
	expect(manifest.version).toBe(repoManifest.version);
	expect(manifest.engines).toEqual(repoManifest.engines);
});

test('the changelog has a section for this version', () => {
	expect(
		changelogHasVersion(
			readFileSync(join(packed.dir, 'CHANGELOG.md'), 'utf8'),
			packed.manifest.version,
		),
	).toBe(true);
});

test('the release workflow publishes on version tags, with the OIDC token and npm provenance, after the release check and the scan', () => {
	const workflow = readFileSync(join(REPO_ROOT, '.github', 'workflows', 'release.yml'), 'utf8');
	const lines = workflow.split('\n').map((line) => line.replace(/\s+#.*$/, '').trimEnd());
	expect(lines).toContain("    tags: ['v*.*.*']");
	expect(lines).toContain('      id-token: write');
	const steps = lines.filter((line) => /^\s+run: /.test(line)).map((line) => line.trim());
	const order = [
		'run: npm ci --no-audit --no-fund',
		'run: npm run release:check -- "$GITHUB_REF_NAME" "$GITHUB_REPOSITORY"',
		'run: npm run scan',
		'run: npm publish --provenance --access public',
	];
	expect(order.map((step) => steps.indexOf(step))).toEqual(
		[...order.map((step) => steps.indexOf(step))].sort((a, b) => a - b),
	);
	expect(order.every((step) => steps.includes(step))).toBe(true);
	expect(steps[steps.length - 1]).toBe('run: npm publish --provenance --access public');
});

describe('a manual install of the tarball into an n8n nodes folder', () => {
	let nodesDir: string;

	beforeAll(async () => {
		// As the README's tarball route: `cd ~/.n8n/nodes && npm install <tarball>`.
		nodesDir = await mkdtemp(join(tmpdir(), 'crm-sync-nodes-'));
		await writeFile(
			join(nodesDir, 'package.json'),
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
		);
		await run('npm', ['install', packed.tarball, '--no-audit', '--no-fund'], {
			cwd: nodesDir,
			env: { ...process.env, PATH: systemPath() },
			timeout: 240_000,
			maxBuffer: 32 * 1024 * 1024,
		});
	}, 300_000);

	afterAll(async () => {
		await rm(nodesDir, { recursive: true, force: true });
	});

	test('installs the pack and its runtime dependencies, and no n8n-workflow (n8n provides its own)', () => {
		const modules = join(nodesDir, 'node_modules');
		expect(
			existsSync(
				join(modules, 'n8n-nodes-crm-sync', 'dist', 'nodes', 'CrmLink', 'CrmLink.node.js'),
			),
		).toBe(true);
		for (const dependency of Object.keys(packed.manifest.dependencies ?? {}))
			expect(existsSync(join(modules, dependency, 'package.json'))).toBe(true);
		expect(existsSync(join(modules, 'n8n-workflow'))).toBe(false);
		expect(existsSync(join(modules, 'n8n-nodes-crm-sync', 'node_modules', 'n8n-workflow'))).toBe(
			false,
		);
	});

	test('engines.node is exactly the highest minimum of the installed runtime tree', async () => {
		const packages = await installedPackages(join(nodesDir, 'node_modules'));
		const required = requiredNode(packages.filter((pkg) => pkg.name !== 'n8n-nodes-crm-sync'));
		expect(required).toBeDefined();
		expect(formatVersion(minimumOf(packed.manifest.engines?.node ?? '')!)).toBe(
			formatVersion(required!.version),
		);
		// Today that is undici 8 (through jsforce): Node 22.19.
		expect(required!.setBy.length).toBeGreaterThan(0);
	});
});

/** Every package.json under node_modules (nested ones too). */
async function installedPackages(
	modules: string,
): Promise<Array<{ name: string; engines?: { node?: string } }>> {
	const found: Array<{ name: string; engines?: { node?: string } }> = [];
	const visit = async (dir: string): Promise<void> => {
		for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
			if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
			const path = join(dir, entry.name);
			if (entry.name.startsWith('@')) {
				await visit(path);
				continue;
			}
			const manifest = await readFile(join(path, 'package.json'), 'utf8').then(
				(text) => JSON.parse(text) as { name: string; engines?: { node?: string } },
				() => undefined,
			);
			if (manifest) found.push({ name: manifest.name, engines: manifest.engines });
			await visit(join(path, 'node_modules'));
		}
	};
	await visit(modules);
	return found;
}
