/**
 * n8n's own package loader (n8n-core PackageDirectoryLoader) loads the BUILT pack exactly as
 * a Community Nodes install does: every credential and node that package.json registers,
 * with their icons and codex files. `npm test` builds before jest runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { PackageDirectoryLoader } from 'n8n-core';

const ROOT = join(__dirname, '..', '..');

describe('n8n package loader (built pack)', () => {
	const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };

	beforeAll(() => {
		const missing = [...pkg.n8n.nodes, ...pkg.n8n.credentials].filter((file) => !existsSync(join(ROOT, file)));
		if (missing.length) throw new Error(`build the pack first (npm run build); missing: ${missing.join(', ')}`);
	});

	it('loads all seven credential types with their themed icons', async () => {
		const loader = new PackageDirectoryLoader(ROOT);
		await loader.loadAll();

		expect(Object.keys(loader.known.credentials).sort()).toEqual([
			'crmSyncAutochatApi',
			'crmSyncDynamicsClientCredentialsApi',
			'crmSyncDynamicsOAuth2Api',
			'crmSyncHubSpotOAuth2Api',
			'crmSyncHubSpotPrivateAppApi',
			'crmSyncSalesforceClientCredentialsApi',
			'crmSyncSalesforceOAuth2Api',
		]);
		expect(loader.known.credentials.crmSyncDynamicsOAuth2Api.extends).toEqual(['oAuth2Api']);
		expect(loader.credentialTypes.crmSyncSalesforceOAuth2Api.type.iconUrl).toEqual({
			light: 'icons/n8n-nodes-crm-sync/dist/credentials/icons/salesforce.svg',
			dark: 'icons/n8n-nodes-crm-sync/dist/credentials/icons/salesforce.dark.svg',
		});
	});

	it('loads every registered node with its codex and both icon files present', async () => {
		const loader = new PackageDirectoryLoader(ROOT);
		await loader.loadAll();
		const names = pkg.n8n.nodes.map((file) => file.split('/').pop()!.replace('.node.js', ''));
		expect(Object.keys(loader.known.nodes).length).toBe(names.length);
		for (const [name, type] of Object.entries(loader.nodeTypes)) {
			const description = 'nodeVersions' in type.type ? type.type.description : type.type.description;
			expect(description.codex?.categories?.length).toBeGreaterThan(0);
			const icons = description.iconUrl as { light: string; dark: string };
			for (const url of [icons.light, icons.dark]) {
				expect(existsSync(join(ROOT, url.replace('icons/n8n-nodes-crm-sync/', '')))).toBe(true);
			}
			expect(name).toMatch(/^[a-z][A-Za-z]+$/);
		}
	});
});
