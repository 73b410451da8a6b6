/**
 * The resource-mapper columns the editor shows for a Field Merge node, per CRM and object,
 * as a CRM with only its standard fields describes them (the sandbox's `standard` org). The
 * templates store them as their Field Merge nodes' `schema`, with the mapped fields shown and
 * the rest listed for "Add field": n8n then opens the node exactly as shipped, instead of
 * fetching the fields, showing every empty one and hiding the mapped ones.
 */
import type { ResourceMapperField } from 'n8n-workflow';

import { mapperColumns, objectTypeFor } from '../../nodes/CrmContactFieldMerge/fieldSpecs';
import type { CrmName, ObjectKind } from '../../nodes/shared/model';
import type { CrmProvider } from '../../nodes/shared/providers/CrmProvider';
import { createAutochatProvider } from '../../nodes/shared/providers/autochat';
import { createDynamicsProvider } from '../../nodes/shared/providers/dynamics';
import { createHubSpotProvider } from '../../nodes/shared/providers/hubspot';
import { createSalesforceProvider } from '../../nodes/shared/providers/salesforce';
import { startCrmSandbox } from '../runtime/sandbox';

export type FieldSchemas = Map<string, ResourceMapperField[]>;

export const schemaKey = (crm: CrmName, kind: ObjectKind): string => `${crm}:${kind}`;

const TOKEN_PATHS: Record<'salesforce' | 'dynamics', string> = {
	salesforce: '/salesforce/services/oauth2/token',
	dynamics: '/microsoft/templates-tenant/oauth2/v2.0/token',
};

async function token(base: string, vendor: 'salesforce' | 'dynamics'): Promise<string> {
	const body = new URLSearchParams({
		grant_type: 'client_credentials',
		client_id: 'templates',
		client_secret: 'templates',
	});
	const response = await fetch(`${base}${TOKEN_PATHS[vendor]}`, { method: 'POST', body });
	if (!response.ok)
		throw new Error(`the sandbox's ${vendor} token endpoint answered ${response.status}`);
	return ((await response.json()) as { access_token: string }).access_token;
}

function providers(
	base: string,
	tokens: { salesforce: string; dynamics: string },
): Record<CrmName, CrmProvider> {
	const fixed = (value: string) => ({
		getAccessToken: async () => value,
		refresh: async () => value,
	});
	const transport = { sleep: async () => undefined };
	return {
		hubspot: createHubSpotProvider({
			tokens: fixed('pat-templates'),
			apiBaseUrl: `${base}/hubspot`,
			limiterKey: 'templates-hubspot',
			transport,
		}),
		salesforce: createSalesforceProvider({
			tokens: fixed(tokens.salesforce),
			instanceUrl: `${base}/salesforce`,
			limiterKey: 'templates-salesforce',
			transport,
		}),
		dynamics: createDynamicsProvider({
			tokens: fixed(tokens.dynamics),
			orgUrl: `${base}/dynamics`,
			limiterKey: 'templates-dynamics',
			transport,
		}),
		autochat: createAutochatProvider({
			apiKey: 'ak_templates',
			baseUrl: `${base}/autochat/v1`,
			limiterKey: 'templates-autochat',
			transport,
		}),
	};
}

/** Describes every CRM object the templates' Field Merge nodes write, on a standard org. */
export async function loadFieldSchemas(
	wanted: Array<[CrmName, ObjectKind]>,
): Promise<FieldSchemas> {
	const sandbox = await startCrmSandbox({ port: 0, seed: false, schema: 'standard' });
	try {
		const all = providers(sandbox.url, {
			salesforce: await token(sandbox.url, 'salesforce'),
			dynamics: await token(sandbox.url, 'dynamics'),
		});
		const schemas: FieldSchemas = new Map();
		for (const [crm, kind] of wanted) {
			const provider = all[crm];
			const objectType = objectTypeFor(provider.profile, kind);
			if (!objectType) throw new Error(`${crm} has no ${kind} object`);
			schemas.set(schemaKey(crm, kind), mapperColumns(await provider.describeObject(objectType)));
		}
		return schemas;
	} finally {
		await sandbox.close();
	}
}
