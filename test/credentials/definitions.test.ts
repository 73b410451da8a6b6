import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { ICredentialType } from 'n8n-workflow';

import { CrmSyncAutochatApi } from '../../credentials/CrmSyncAutochatApi.credentials';
import { CrmSyncDynamicsClientCredentialsApi } from '../../credentials/CrmSyncDynamicsClientCredentialsApi.credentials';
import { CrmSyncDynamicsOAuth2Api } from '../../credentials/CrmSyncDynamicsOAuth2Api.credentials';
import { CrmSyncHubSpotOAuth2Api } from '../../credentials/CrmSyncHubSpotOAuth2Api.credentials';
import { CrmSyncHubSpotPrivateAppApi } from '../../credentials/CrmSyncHubSpotPrivateAppApi.credentials';
import { CrmSyncSalesforceClientCredentialsApi } from '../../credentials/CrmSyncSalesforceClientCredentialsApi.credentials';
import { CrmSyncSalesforceOAuth2Api } from '../../credentials/CrmSyncSalesforceOAuth2Api.credentials';

const ROOT = join(__dirname, '..', '..');
const CREDENTIALS_DIR = join(ROOT, 'credentials');

const all: Array<[className: string, name: string, type: ICredentialType]> = [
	['CrmSyncHubSpotOAuth2Api', 'crmSyncHubSpotOAuth2Api', new CrmSyncHubSpotOAuth2Api()],
	['CrmSyncHubSpotPrivateAppApi', 'crmSyncHubSpotPrivateAppApi', new CrmSyncHubSpotPrivateAppApi()],
	['CrmSyncSalesforceOAuth2Api', 'crmSyncSalesforceOAuth2Api', new CrmSyncSalesforceOAuth2Api()],
	[
		'CrmSyncSalesforceClientCredentialsApi',
		'crmSyncSalesforceClientCredentialsApi',
		new CrmSyncSalesforceClientCredentialsApi(),
	],
	['CrmSyncDynamicsOAuth2Api', 'crmSyncDynamicsOAuth2Api', new CrmSyncDynamicsOAuth2Api()],
	[
		'CrmSyncDynamicsClientCredentialsApi',
		'crmSyncDynamicsClientCredentialsApi',
		new CrmSyncDynamicsClientCredentialsApi(),
	],
	['CrmSyncAutochatApi', 'crmSyncAutochatApi', new CrmSyncAutochatApi()],
];

const SECRET_FIELDS = ['accessToken', 'clientSecret', 'apiKey', 'webhookSigningSecret'];
const CLIENT_CREDENTIALS = [
	'crmSyncSalesforceClientCredentialsApi',
	'crmSyncDynamicsClientCredentialsApi',
];
const OVERRIDE_FIELDS = ['apiBaseUrl', 'appBaseUrl', 'loginUrl', 'authorityUrl'];

describe.each(all)('%s', (className, name, type) => {
	it('has the agreed name, lives in <ClassName>.credentials.ts and has a connection test', () => {
		expect(type.constructor.name).toBe(className);
		expect(type.name).toBe(name);
		expect(existsSync(join(CREDENTIALS_DIR, `${className}.credentials.ts`))).toBe(true);
		// Client-credentials types are tested by the nodes with a fresh token (clientCredentialsTest.test.ts).
		if (CLIENT_CREDENTIALS.includes(name)) expect(type.test).toBeUndefined();
		else expect(type.test?.request.method).toBe('GET');
		expect(new URL(type.documentationUrl ?? '').protocol).toBe('https:');
	});

	it('masks every secret field', () => {
		const secrets = type.properties.filter((p) => SECRET_FIELDS.includes(p.name));
		// OAuth2 types declare no secret of their own: clientSecret and tokens come from oAuth2Api.
		expect(secrets.length > 0).toBe(!type.extends?.includes('oAuth2Api'));
		for (const field of secrets)
			expect({ field: field.name, password: field.typeOptions?.password }).toEqual({
				field: field.name,
				password: true,
			});
	});

	it('ships light and dark icons that exist and are svg', () => {
		const icon = type.icon as { light: string; dark: string };
		for (const ref of [icon.light, icon.dark]) {
			const file = join(CREDENTIALS_DIR, ref.replace(/^file:/, ''));
			expect(existsSync(file)).toBe(true);
			expect(readFileSync(file, 'utf8')).toMatch(/^<svg [^>]*viewBox="0 0 60 60"/);
		}
		expect(icon.light).not.toBe(icon.dark);
	});

	it('shows host overrides only behind a custom-hosts toggle that defaults to off', () => {
		const overrides = type.properties.filter((p) => OVERRIDE_FIELDS.includes(p.name));
		const toggle = type.properties.find((p) => p.name === 'useCustomHosts');
		if (overrides.length === 0) {
			expect(toggle).toBeUndefined();
			return;
		}
		expect(toggle).toMatchObject({ type: 'boolean', default: false });
		for (const field of overrides)
			expect(field.displayOptions).toEqual({ show: { useCustomHosts: [true] } });
	});
});

describe('OAuth2 credentials', () => {
	it.each(all.filter(([className]) => className.endsWith('OAuth2Api')))(
		'%s extends oAuth2Api with the authorization code grant',
		(_className, _name, type) => {
			expect(type.extends).toEqual(['oAuth2Api']);
			expect(type.properties.find((p) => p.name === 'grantType')).toMatchObject({
				type: 'hidden',
				default: 'authorizationCode',
			});
		},
	);

	it('every credential talking to a fixed vendor host offers the custom-hosts toggle', () => {
		const withToggle = all
			.filter(([, , type]) => type.properties.some((p) => p.name === 'useCustomHosts'))
			.map(([className]) => className);
		expect(withToggle.sort()).toEqual([
			'CrmSyncDynamicsClientCredentialsApi',
			'CrmSyncDynamicsOAuth2Api',
			'CrmSyncHubSpotOAuth2Api',
			'CrmSyncHubSpotPrivateAppApi',
			'CrmSyncSalesforceOAuth2Api',
		]);
	});
});

describe('package.json', () => {
	it('registers exactly the seven credentials by their dist path', () => {
		const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
			n8n: { credentials: string[] };
		};
		expect([...pkg.n8n.credentials].sort()).toEqual(
			all.map(([className]) => `dist/credentials/${className}.credentials.js`).sort(),
		);
	});
});
