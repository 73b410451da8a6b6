/**
 * Pack providers pointed at a bench sandbox, and the contacts the bench writes. Shared by the
 * bench sections (run.ts, growth.ts).
 */
import type { CrmProvider, RecordWrite } from '../../nodes/shared/providers/CrmProvider';
import { createAutochatProvider } from '../../nodes/shared/providers/autochat';
import { createDynamicsProvider } from '../../nodes/shared/providers/dynamics';
import { createHubSpotProvider } from '../../nodes/shared/providers/hubspot';
import { createSalesforceProvider } from '../../nodes/shared/providers/salesforce';
import type { TokenSource } from '../../nodes/shared/transport/types';
import type { SandboxHandle, VendorName } from '../sandbox/server';

export async function tokenFrom(
	sandbox: SandboxHandle,
	vendor: 'salesforce' | 'dynamics',
): Promise<TokenSource> {
	const url =
		vendor === 'salesforce'
			? `${sandbox.url}/salesforce/services/oauth2/token`
			: `${sandbox.url}/microsoft/bench-tenant/oauth2/v2.0/token`;
	const fetchToken = async () => {
		const form = new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: 'bench',
			client_secret: 'bench-secret',
		});
		if (vendor === 'dynamics') form.set('scope', `${sandbox.url}/dynamics/.default`);
		const response = await fetch(url, { method: 'POST', body: form });
		const body = (await response.json()) as { access_token: string };
		return body.access_token;
	};
	let token = await fetchToken();
	return { getAccessToken: async () => token, refresh: async () => (token = await fetchToken()) };
}

export function providerFor(
	crm: VendorName,
	sandbox: SandboxHandle,
	tokens?: TokenSource,
): CrmProvider {
	const limiterKey = `bench:${crm}:${Math.random()}`;
	switch (crm) {
		case 'hubspot':
			return createHubSpotProvider({
				tokens: { getAccessToken: async () => 'pat-bench', refresh: async () => 'pat-bench' },
				apiBaseUrl: `${sandbox.url}/hubspot`,
				limiterKey,
			});
		case 'salesforce':
			return createSalesforceProvider({
				tokens: tokens!,
				instanceUrl: `${sandbox.url}/salesforce`,
				limiterKey,
			});
		case 'dynamics':
			return createDynamicsProvider({
				tokens: tokens!,
				orgUrl: `${sandbox.url}/dynamics`,
				limiterKey,
			});
		case 'autochat':
			return createAutochatProvider({
				apiKey: 'ak_bench_key',
				baseUrl: `${sandbox.url}/autochat/v1`,
				limiterKey,
			});
	}
}

export const OBJECT: Record<VendorName, string> = {
	hubspot: 'contacts',
	salesforce: 'Contact',
	dynamics: 'contact',
	autochat: 'client',
};

export function writes(crm: VendorName, count: number, offset: number): RecordWrite[] {
	return Array.from({ length: count }, (_, i) => {
		const n = offset + i;
		const email = `bench.${n}@bench.example`;
		switch (crm) {
			case 'hubspot':
				return { properties: { email, firstname: 'Bench', lastname: `Contact ${n}` } };
			case 'salesforce':
				return { properties: { Email: email, FirstName: 'Bench', LastName: `Contact ${n}` } };
			case 'dynamics':
				return {
					properties: { emailaddress1: email, firstname: 'Bench', lastname: `Contact ${n}` },
				};
			case 'autochat':
				return { properties: { email, name: `Bench Contact ${n}` } };
		}
	});
}
