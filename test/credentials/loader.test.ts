/**
 * n8n's own package loader (n8n-core PackageDirectoryLoader) accepts the credentials as
 * package.json registers them. The sources are transpiled (no type check: tsc covers that)
 * into a throwaway package whose node_modules points at ours, icons copied like gulp does.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { PackageDirectoryLoader } from 'n8n-core';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
const SOURCE = join(ROOT, 'credentials');

describe('n8n package loader', () => {
	let packageDir: string;

	beforeAll(() => {
		packageDir = mkdtempSync(join(tmpdir(), 'crm-sync-credentials-'));
		const out = join(packageDir, 'dist', 'credentials');
		mkdirSync(join(out, 'icons'), { recursive: true });
		for (const file of readdirSync(SOURCE).filter((f) => f.endsWith('.ts'))) {
			const { outputText } = ts.transpileModule(readFileSync(join(SOURCE, file), 'utf8'), {
				compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
			});
			writeFileSync(join(out, file.replace(/\.ts$/, '.js')), outputText);
		}
		for (const icon of readdirSync(join(SOURCE, 'icons'))) copyFileSync(join(SOURCE, 'icons', icon), join(out, 'icons', icon));
		const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; n8n: unknown };
		writeFileSync(
			join(packageDir, 'package.json'),
			JSON.stringify({ name: pkg.name, version: pkg.version, n8n: pkg.n8n }),
		);
		symlinkSync(join(ROOT, 'node_modules'), join(packageDir, 'node_modules'), 'dir');
	});

	afterAll(() => rmSync(packageDir, { recursive: true, force: true }));

	it('loads all seven credential types with their themed icons', async () => {
		const loader = new PackageDirectoryLoader(packageDir);
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
});
