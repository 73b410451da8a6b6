/**
 * n8n's own package loader (n8n-core PackageDirectoryLoader) loads the BUILT pack exactly as
 * a Community Nodes install does: every credential and node that package.json registers,
 * with their icons and codex files. `npm test` builds before jest runs. The loading happens
 * in a child process (loadBuiltPack.js) so the pack's SDKs never enter the jest worker.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

interface Loaded {
	nodes: Array<{
		name: string;
		codexCategories: string[];
		iconUrl: { light: string; dark: string };
	}>;
	credentials: Array<{
		name: string;
		extends: string[];
		iconUrl: { light: string; dark: string };
		hasTestRequest: boolean;
		supportedNodes: Array<{ node: string; testedBy?: string; offersTest: boolean }>;
	}>;
	knownNodes: string[];
}

describe('n8n package loader (built pack)', () => {
	const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
		n8n: { nodes: string[]; credentials: string[] };
	};
	let loaded: Loaded;

	beforeAll(() => {
		const missing = [...pkg.n8n.nodes, ...pkg.n8n.credentials].filter(
			(file) => !existsSync(join(ROOT, file)),
		);
		if (missing.length)
			throw new Error(`build the pack first (npm run build); missing: ${missing.join(', ')}`);
		const output = execFileSync(process.execPath, [join(__dirname, 'loadBuiltPack.js'), ROOT], {
			cwd: ROOT,
			encoding: 'utf8',
			timeout: 60_000,
		});
		loaded = JSON.parse(output) as Loaded;
	});

	it('loads all seven credential types with their themed icons', () => {
		expect(loaded.credentials.map((c) => c.name).sort()).toEqual([
			'crmSyncAutochatApi',
			'crmSyncDynamicsClientCredentialsApi',
			'crmSyncDynamicsOAuth2Api',
			'crmSyncHubSpotOAuth2Api',
			'crmSyncHubSpotPrivateAppApi',
			'crmSyncSalesforceClientCredentialsApi',
			'crmSyncSalesforceOAuth2Api',
		]);
		expect(loaded.credentials.find((c) => c.name === 'crmSyncDynamicsOAuth2Api')?.extends).toEqual([
			'oAuth2Api',
		]);
		expect(
			loaded.credentials.find((c) => c.name === 'crmSyncSalesforceOAuth2Api')?.iconUrl,
		).toEqual({
			light: 'icons/n8n-nodes-crm-sync/dist/credentials/icons/salesforce.svg',
			dark: 'icons/n8n-nodes-crm-sync/dist/credentials/icons/salesforce.dark.svg',
		});
	});

	it('loads every registered node with its codex and both icon files present', () => {
		expect(loaded.knownNodes).toHaveLength(pkg.n8n.nodes.length);
		expect(loaded.nodes).toHaveLength(pkg.n8n.nodes.length);
		for (const node of loaded.nodes) {
			expect(node.codexCategories.length).toBeGreaterThan(0);
			for (const url of [node.iconUrl.light, node.iconUrl.dark]) {
				expect(existsSync(join(ROOT, url.replace('icons/n8n-nodes-crm-sync/', '')))).toBe(true);
			}
			expect(node.name).toMatch(/^[a-z][A-Za-z]+$/);
		}
	});

	it('lets n8n find a connection test for every credential: a test request, or a node-level test offered by every node listing it', () => {
		for (const credential of loaded.credentials) {
			if (credential.hasTestRequest) continue;
			expect({ credential: credential.name, nodes: credential.supportedNodes.length > 0 }).toEqual({
				credential: credential.name,
				nodes: true,
			});
			for (const supported of credential.supportedNodes) {
				expect({ credential: credential.name, ...supported }).toEqual({
					credential: credential.name,
					node: supported.node,
					testedBy: expect.any(String),
					offersTest: true,
				});
			}
		}
		expect(
			loaded.credentials
				.filter((credential) => !credential.hasTestRequest)
				.map((credential) => credential.name)
				.sort(),
		).toEqual(['crmSyncDynamicsClientCredentialsApi', 'crmSyncSalesforceClientCredentialsApi']);
	});
});
