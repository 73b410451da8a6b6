/**
 * Effective vendor hosts for each credential type, computed from the credential's data.
 *
 * Pure and free of n8n imports so providers, nodes and tests can share it. The
 * credential classes compute the same values with n8n expressions (they cannot call
 * code); test/credentials checks that both agree for every override combination.
 */

/** Any credential data object as n8n hands it over (ICredentialDataDecryptedObject fits). */
export type CredentialData = Readonly<Record<string, unknown>>;

export const HUBSPOT_API_BASE = 'https://api.hubapi.com';
export const HUBSPOT_APP_BASE = 'https://app.hubspot.com';
export const SALESFORCE_PRODUCTION_LOGIN = 'https://login.salesforce.com';
export const SALESFORCE_SANDBOX_LOGIN = 'https://test.salesforce.com';
export const MICROSOFT_AUTHORITY = 'https://login.microsoftonline.com';
/** Salesforce REST API version of the credential tests (the providers pin the same one). */
export const SALESFORCE_API_PATH = '/services/data/v62.0';
/** Dataverse Web API version used for every Dynamics call and the credential test. */
export const DATAVERSE_API_PATH = '/api/data/v9.2';

/** `https://x.com///` → `https://x.com`. Leaves everything else untouched. */
export function trimTrailingSlash(url: string): string {
	return url.replace(/\/+$/, '');
}

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

/** The override value when the credential's "Use Custom Hosts" toggle is on and the field is filled. */
function override(data: CredentialData, field: string): string {
	return data.useCustomHosts === true ? trimTrailingSlash(text(data[field])) : '';
}

/** HubSpot REST base (also the OAuth token host): `https://api.hubapi.com` unless overridden. */
export function hubSpotApiBase(data: CredentialData): string {
	return override(data, 'apiBaseUrl') || HUBSPOT_API_BASE;
}

/**
 * Host of HubSpot's OAuth consent page. With custom hosts an empty `appBaseUrl` means
 * "same as the API base", so one sandbox URL is enough.
 */
export function hubSpotAppBase(data: CredentialData): string {
	if (data.useCustomHosts !== true) return HUBSPOT_APP_BASE;
	return override(data, 'appBaseUrl') || hubSpotApiBase(data);
}

/** Salesforce login host for the web-server OAuth flow: custom `loginUrl`, else test/login by environment. */
export function salesforceLoginBase(data: CredentialData): string {
	const custom = override(data, 'loginUrl');
	if (custom) return custom;
	return data.environment === 'sandbox' ? SALESFORCE_SANDBOX_LOGIN : SALESFORCE_PRODUCTION_LOGIN;
}

/**
 * Base URL of the Salesforce org's REST API. OAuth2: `oauthTokenData.instance_url`;
 * client credentials: the cached `instanceUrl`, else `myDomainUrl`.
 */
export function salesforceInstanceBase(data: CredentialData): string {
	const tokenData = data.oauthTokenData;
	const fromToken =
		tokenData !== null && typeof tokenData === 'object'
			? text((tokenData as Record<string, unknown>).instance_url)
			: '';
	return trimTrailingSlash(fromToken || text(data.instanceUrl) || text(data.myDomainUrl));
}

/** Microsoft identity platform authority: `https://login.microsoftonline.com` unless overridden. */
export function microsoftAuthority(data: CredentialData): string {
	return override(data, 'authorityUrl') || MICROSOFT_AUTHORITY;
}

/** Tenant path segment: the credential's `tenantId`, else `organizations` (any work/school account). */
export function microsoftTenant(data: CredentialData): string {
	return text(data.tenantId) || 'organizations';
}

/** `<authority>/<tenant>/oauth2/v2.0/token` */
export function microsoftTokenUrl(data: CredentialData): string {
	return `${microsoftAuthority(data)}/${microsoftTenant(data)}/oauth2/v2.0/token`;
}

/** `<authority>/<tenant>/oauth2/v2.0/authorize` */
export function microsoftAuthorizeUrl(data: CredentialData): string {
	return `${microsoftAuthority(data)}/${microsoftTenant(data)}/oauth2/v2.0/authorize`;
}

/** Dynamics org root without trailing slash, e.g. `https://acme.crm.dynamics.com`. */
export function dynamicsOrgBase(data: CredentialData): string {
	return trimTrailingSlash(text(data.orgUrl));
}

/** Dataverse Web API root, e.g. `https://acme.crm.dynamics.com/api/data/v9.2`. */
export function dynamicsApiBase(data: CredentialData): string {
	return `${dynamicsOrgBase(data)}${DATAVERSE_API_PATH}`;
}

/** Resource scope for Dataverse: `<orgUrl>/.default`. */
export function dynamicsResourceScope(data: CredentialData): string {
	return `${dynamicsOrgBase(data)}/.default`;
}

/** autoch.at CRM API v1 base without trailing slash. */
export function autochatApiBase(data: CredentialData): string {
	return trimTrailingSlash(text(data.baseUrl));
}
