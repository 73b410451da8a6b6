/**
 * The n8n glue for tokens: n8n owns them (OAuth2 refresh, preAuthentication with an
 * expirable field) and stores them in its database, so they survive restarts and are
 * shared by queue workers. We only read the current token and, when the CRM says it
 * expired, send a cheap authenticated probe through n8n so n8n refreshes and stores it.
 */
import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IPollFunctions,
	type IWebhookFunctions,
} from 'n8n-workflow';
import { redactSecrets } from './redact';
import type { TokenSource } from './types';

export type N8nCredentialContext =
	IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions | IHookFunctions | IWebhookFunctions;

export interface N8nTokenSourceOptions {
	/** Reads the current token from the decrypted credential data: OAuth2 -> oauthTokenData.access_token; static -> accessToken/apiKey; preAuthentication expirable -> accessToken. */
	readToken: (data: ICredentialDataDecryptedObject) => string | undefined;
	/** A cheap authenticated request; sending it through this.helpers.httpRequestWithAuthentication makes n8n refresh the OAuth2 token / re-run preAuthentication and store the result in its database. */
	probe: IHttpRequestOptions;
	/** The credential as the user knows it (see CredentialInUse.label); the type name otherwise. */
	label?: string;
}

function statusOf(error: unknown): string {
	if (!error || typeof error !== 'object') return '';
	const record = error as Record<string, unknown>;
	const response = record.response as Record<string, unknown> | undefined;
	const status = record.httpCode ?? record.statusCode ?? response?.status ?? response?.statusCode;
	return status === undefined || status === null ? '' : ` (HTTP ${String(status)})`;
}

const SECRET_FIELD = /token|secret|key|password|assertion|privatekey/i;

/** Secret-looking string values of a credential record, so a refresh error can never echo them. */
function credentialSecrets(data: unknown, underSecret = false, out: string[] = []): string[] {
	if (typeof data === 'string') {
		if (underSecret) out.push(data);
	} else if (data && typeof data === 'object') {
		for (const [key, value] of Object.entries(data))
			credentialSecrets(value, underSecret || SECRET_FIELD.test(key), out);
	}
	return out;
}

export function n8nTokenSource(
	ctx: N8nCredentialContext,
	credentialType: string,
	options: N8nTokenSourceOptions,
): TokenSource {
	let current: string | undefined;
	let refreshing: Promise<string> | undefined;
	const secrets = new Set<string>();

	const read = async (): Promise<string | undefined> => {
		const data = await ctx.getCredentials<ICredentialDataDecryptedObject>(credentialType);
		for (const secret of credentialSecrets(data)) secrets.add(secret);
		const token = options.readToken(data);
		return typeof token === 'string' && token !== '' ? token : undefined;
	};

	const sendProbe = async (): Promise<void> => {
		try {
			await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, options.probe);
		} catch (error) {
			const text = error instanceof Error ? error.message : 'unknown error';
			// Learn the credential's secrets first if we never read it, so none can be echoed.
			if (secrets.size === 0) await read().catch(() => undefined);
			const known = current ? [current, ...secrets] : [...secrets];
			const message = redactSecrets(
				`n8n could not renew the access token of the ${options.label ?? `"${credentialType}" credential`}${statusOf(error)}: ${text}. Reconnect the credential in n8n if this persists.`,
				known,
			);
			const failure = new NodeOperationError(ctx.getNode(), message);
			// n8n swaps messages mentioning ECONNRESET/ETIMEDOUT for a generic text; ours names the credential.
			failure.message = message;
			throw failure;
		}
	};

	const obtainAfterProbe = async (): Promise<string> => {
		await sendProbe();
		const token = await read();
		if (!token)
			throw new NodeOperationError(
				ctx.getNode(),
				`The "${credentialType}" credential has no access token even after n8n authenticated it; reconnect the credential.`,
			);
		return token;
	};

	return {
		async getAccessToken() {
			if (current) return current;
			// Client-credentials and preAuthentication credentials have no token until first use.
			current = (await read()) ?? (await obtainAfterProbe());
			return current;
		},
		refresh() {
			// Concurrent 401s of one execution share a single refresh.
			refreshing ??= obtainAfterProbe()
				.then((token) => {
					// Unchanged but the probe succeeded: the token is valid (another worker refreshed it already).
					current = token;
					return token;
				})
				.finally(() => {
					refreshing = undefined;
				});
			return refreshing;
		},
	};
}
