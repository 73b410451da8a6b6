/**
 * The parameters every CRM node starts with: which CRM, how to authenticate, and the
 * credential slots shown for that choice. One definition keeps the editor consistent
 * across nodes and lets `connectProvider` find the right credential.
 */
import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import type { CrmName } from '../model';
import { CREDENTIAL_TEST_NAMES } from '../node/credentialTests';

interface CredentialChoice {
	crm: CrmName;
	/** Value of the node's authentication parameter. */
	mode: string;
	/** n8n credential type name. */
	credentialName: string;
}

export const CREDENTIAL_CHOICES: readonly CredentialChoice[] = [
	{ crm: 'hubspot', mode: 'oAuth2', credentialName: 'crmSyncHubSpotOAuth2Api' },
	{ crm: 'hubspot', mode: 'privateApp', credentialName: 'crmSyncHubSpotPrivateAppApi' },
	{ crm: 'salesforce', mode: 'oAuth2', credentialName: 'crmSyncSalesforceOAuth2Api' },
	{ crm: 'salesforce', mode: 'clientCredentials', credentialName: 'crmSyncSalesforceClientCredentialsApi' },
	{ crm: 'dynamics', mode: 'oAuth2', credentialName: 'crmSyncDynamicsOAuth2Api' },
	{ crm: 'dynamics', mode: 'clientCredentials', credentialName: 'crmSyncDynamicsClientCredentialsApi' },
	{ crm: 'autochat', mode: 'apiKey', credentialName: 'crmSyncAutochatApi' },
];

/** Name of the authentication parameter for each CRM (one per CRM so defaults can differ). */
export const AUTH_PARAMETER: Record<CrmName, string> = {
	hubspot: 'hubspotAuthentication',
	salesforce: 'salesforceAuthentication',
	dynamics: 'dynamicsAuthentication',
	autochat: 'autochatAuthentication',
};

const CRM_LABELS: Record<CrmName, string> = {
	hubspot: 'HubSpot',
	salesforce: 'Salesforce',
	dynamics: 'Microsoft Dynamics 365',
	autochat: 'autoch.at CRM',
};

export function crmLabel(crm: CrmName): string {
	return CRM_LABELS[crm];
}

/** The CRM selector, limited to the CRMs a node supports. */
export function crmParameter(crms: readonly CrmName[]): INodeProperties {
	return {
		displayName: 'CRM',
		name: 'crm',
		type: 'options',
		noDataExpression: true,
		options: crms.map((crm) => ({ name: CRM_LABELS[crm], value: crm })),
		default: crms[0],
		description: 'The CRM to read from and write to',
	};
}

const AUTH_OPTIONS: Record<CrmName, Array<{ name: string; value: string; description: string }>> = {
	hubspot: [
		{ name: 'OAuth2', value: 'oAuth2', description: 'Connect as a HubSpot user through a HubSpot app' },
		{ name: 'Private App Token', value: 'privateApp', description: 'A private app access token from HubSpot settings' },
	],
	salesforce: [
		{ name: 'OAuth2', value: 'oAuth2', description: 'Connect as a Salesforce user (production or sandbox org)' },
		{
			name: 'Client Credentials',
			value: 'clientCredentials',
			description: 'Server-to-server through a connected app on your My Domain',
		},
	],
	dynamics: [
		{ name: 'OAuth2', value: 'oAuth2', description: 'Connect as a Microsoft user' },
		{
			name: 'Client Credentials',
			value: 'clientCredentials',
			description: 'Server-to-server through an app registration (application user)',
		},
	],
	autochat: [{ name: 'API Key', value: 'apiKey', description: 'An autoch.at CRM API key' }],
};

/** One authentication selector per supported CRM, each shown only when that CRM is chosen. */
export function authenticationParameters(crms: readonly CrmName[]): INodeProperties[] {
	return crms.map((crm) => ({
		displayName: 'Authentication',
		name: AUTH_PARAMETER[crm],
		type: 'options',
		noDataExpression: true,
		options: AUTH_OPTIONS[crm],
		default: AUTH_OPTIONS[crm][0].value,
		displayOptions: { show: { crm: [crm] } },
	}));
}

/**
 * Credential slots: exactly one is shown for each CRM + authentication choice.
 *
 * The conditions are written with `hide` (the other CRMs, the other modes), never `show`:
 * n8n's editor treats every parameter named in a credential's `show` condition as an
 * authentication field, promotes one of them to the "main" one and hides it together with
 * everything it depends on — which hid the CRM selector itself. `hide` selects the same
 * slot at run time and leaves CRM and Authentication as ordinary, visible parameters.
 * Nodes using these slots must offer `crmCredentialTests` as `methods.credentialTest`.
 */
export function crmCredentials(crms: readonly CrmName[]): INodeCredentialDescription[] {
	return CREDENTIAL_CHOICES.filter((choice) => crms.includes(choice.crm)).map((choice) => {
		const otherCrms = crms.filter((crm) => crm !== choice.crm);
		const otherModes = AUTH_OPTIONS[choice.crm].map((o) => o.value).filter((mode) => mode !== choice.mode);
		const hide: Record<string, string[]> = {};
		if (otherCrms.length > 0) hide.crm = otherCrms;
		if (otherModes.length > 0) hide[AUTH_PARAMETER[choice.crm]] = otherModes;
		const slot: INodeCredentialDescription = { name: choice.credentialName, required: true };
		if (Object.keys(hide).length > 0) slot.displayOptions = { hide };
		// Tested with a fresh token by the node's methods.credentialTest (see credentialTests.ts).
		const testedBy = CREDENTIAL_TEST_NAMES[choice.credentialName];
		if (testedBy) slot.testedBy = testedBy;
		return slot;
	});
}

export function credentialTypeFor(crm: CrmName, authentication: string): string {
	const choice = CREDENTIAL_CHOICES.find((c) => c.crm === crm && c.mode === authentication);
	if (!choice) throw new Error(`unknown authentication "${authentication}" for ${CRM_LABELS[crm]}`);
	return choice.credentialName;
}
