/**
 * The vendor-neutral part of the OAuth 2 token endpoints: which grant was asked for and
 * whether it is acceptable. Each vendor wraps the outcome in its own documented shape.
 * Any client id/secret is accepted except the literal secret `wrong-secret` and secrets
 * revoked through the admin API; any authorization code is accepted; refresh tokens must
 * have been issued by the sandbox.
 */
import type { IssuedPair } from './tokens';
import { headerValue, type SandboxRequest, type VendorContext, type VendorName } from './types';

export const REJECTED_CLIENT_SECRET = 'wrong-secret';

export type GrantType = 'client_credentials' | 'authorization_code' | 'refresh_token';

export type GrantOutcome =
	| { ok: true; grantType: GrantType; tokens: IssuedPair; scope?: string }
	| {
			ok: false;
			reason: 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type' | 'invalid_request';
			grantType?: string;
			description: string;
	  };

function formFields(req: SandboxRequest): Record<string, string> {
	const fields: Record<string, string> = {};
	if (typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body)) {
		for (const [key, value] of Object.entries(req.body))
			if (typeof value === 'string') fields[key] = value;
	}
	// OAuth clients may send the token request parameters in the query string as well.
	for (const [key, value] of req.query) fields[key] ??= value;
	return fields;
}

/** client_id/secret from the form or from an HTTP Basic header (RFC 6749 §2.3.1). */
function clientCredentials(
	req: SandboxRequest,
	fields: Record<string, string>,
): { id?: string; secret?: string } {
	const header = headerValue(req.headers, 'authorization');
	const basic = header ? /^Basic\s+(\S+)$/i.exec(header) : null;
	if (basic) {
		const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
		return { id: decodeURIComponent(id ?? ''), secret: decodeURIComponent(secret ?? '') };
	}
	return { id: fields.client_id, secret: fields.client_secret };
}

export function evaluateGrant(
	req: SandboxRequest,
	vendor: VendorName,
	ctx: VendorContext,
	options: { refreshTokenOnClientCredentials: boolean },
): GrantOutcome {
	const fields = formFields(req);
	const grantType = fields.grant_type;
	const client = clientCredentials(req, fields);
	if (!grantType)
		return { ok: false, reason: 'invalid_request', description: 'grant_type is required' };
	if (
		grantType !== 'client_credentials' &&
		grantType !== 'authorization_code' &&
		grantType !== 'refresh_token'
	)
		return {
			ok: false,
			reason: 'unsupported_grant_type',
			grantType,
			description: `grant type ${grantType} is not supported`,
		};
	if (!client.id)
		return { ok: false, reason: 'invalid_client', grantType, description: 'client_id is required' };
	if (
		client.secret === REJECTED_CLIENT_SECRET ||
		(grantType === 'client_credentials' && !client.secret)
	)
		return {
			ok: false,
			reason: 'invalid_client',
			grantType,
			description: 'invalid client credentials',
		};
	if (ctx.tokens.isClientRevoked(vendor, client.id, client.secret))
		return {
			ok: false,
			reason: 'invalid_client',
			grantType,
			description: 'the client secret was revoked',
		};
	if (grantType === 'authorization_code' && !fields.code)
		return {
			ok: false,
			reason: 'invalid_grant',
			grantType,
			description: 'missing authorization code',
		};
	if (
		grantType === 'refresh_token' &&
		!ctx.tokens.isRefreshToken(vendor, fields.refresh_token ?? '')
	)
		return {
			ok: false,
			reason: 'invalid_grant',
			grantType,
			description: 'unknown or revoked refresh token',
		};
	const withRefresh = grantType !== 'client_credentials' || options.refreshTokenOnClientCredentials;
	const tokens = ctx.tokens.issue(vendor, withRefresh);
	// A refresh keeps the same refresh token, as HubSpot, Salesforce and Entra ID commonly do.
	if (grantType === 'refresh_token') tokens.refreshToken = fields.refresh_token;
	return { ok: true, grantType, tokens, scope: fields.scope };
}
