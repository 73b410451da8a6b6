/**
 * n8n expression builders mirroring hosts.ts, for credential fields and test requests.
 *
 * Credential classes are declarative: n8n resolves `={{ … }}` strings against `$self`
 * (hidden fields, resolved when n8n applies credential defaults) or `$credentials`
 * (authenticate / test request). These builders emit the same rules as hosts.ts in
 * expression form so the two cannot silently drift (test/credentials compares them).
 * Only plain JS that n8n's expression sandbox accepts: no `??`, no globals.
 */
import {
	HUBSPOT_API_BASE,
	HUBSPOT_APP_BASE,
	MICROSOFT_AUTHORITY,
	SALESFORCE_PRODUCTION_LOGIN,
	SALESFORCE_SANDBOX_LOGIN,
} from './hosts';

/** `$self` inside hidden credential fields, `$credentials` in authenticate and test requests. */
export type ExpressionSource = '$self' | '$credentials';

/** Wraps a JS expression as an n8n expression value. */
export function expression(js: string): string {
	return `={{ ${js} }}`;
}

/** A field as a trimmed string ('' when missing). */
function fieldText(src: ExpressionSource, field: string): string {
	return `("" + (${src}.${field} || "")).trim()`;
}

function withoutTrailingSlash(js: string): string {
	return `${js}.replace(/\\/+$/, "")`;
}

/** The override field's value when the custom-hosts toggle is on, else ''. */
function override(src: ExpressionSource, field: string): string {
	return `(${src}.useCustomHosts === true ? ${withoutTrailingSlash(fieldText(src, field))} : "")`;
}

export function hubSpotApiBaseJs(src: ExpressionSource): string {
	return `(${override(src, 'apiBaseUrl')} || "${HUBSPOT_API_BASE}")`;
}

export function hubSpotAppBaseJs(src: ExpressionSource): string {
	return `(${src}.useCustomHosts === true ? (${override(src, 'appBaseUrl')} || ${hubSpotApiBaseJs(src)}) : "${HUBSPOT_APP_BASE}")`;
}

export function salesforceLoginBaseJs(src: ExpressionSource): string {
	return `(${override(src, 'loginUrl')} || (${src}.environment === "sandbox" ? "${SALESFORCE_SANDBOX_LOGIN}" : "${SALESFORCE_PRODUCTION_LOGIN}"))`;
}

export function microsoftAuthorityJs(src: ExpressionSource): string {
	return `(${override(src, 'authorityUrl')} || "${MICROSOFT_AUTHORITY}")`;
}

export function microsoftTenantJs(src: ExpressionSource): string {
	return `(${fieldText(src, 'tenantId')} || "organizations")`;
}

/** `<authority>/<tenant>/oauth2/v2.0/<endpoint>` */
export function microsoftEndpointJs(
	src: ExpressionSource,
	endpoint: 'authorize' | 'token',
): string {
	return `${microsoftAuthorityJs(src)} + "/" + ${microsoftTenantJs(src)} + "/oauth2/v2.0/${endpoint}"`;
}

/** A URL field (orgUrl, baseUrl, myDomainUrl) trimmed of whitespace and trailing slashes. */
export function urlFieldJs(src: ExpressionSource, field: string): string {
	return withoutTrailingSlash(fieldText(src, field));
}
