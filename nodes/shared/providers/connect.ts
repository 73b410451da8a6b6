/**
 * Builds the CrmProvider a node asked for from the credential the user picked. This is the
 * only place that knows how each credential type stores its token and base URL; nodes just
 * call `connectProvider(this)` once per execution (not per item).
 */
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import {
	autochatApiBase,
	dynamicsApiBase,
	dynamicsOrgBase,
	hubSpotApiBase,
	salesforceInstanceBase,
	type CredentialData,
} from '../../../credentials/hosts';
import { authParameterOf, credentialTypeFor } from '../descriptions/crmSelector';
import {
	DEFAULT_REQUEST_TIMEOUT_SECONDS,
	REQUEST_TIMEOUT_PATH,
} from '../descriptions/requestTimeout';
import type { CrmName } from '../model';
import { CRM_NAMES } from '../model';
import { n8nTokenSource, type N8nCredentialContext } from '../transport/n8nTokenSource';
import type { CredentialInUse, TokenSource } from '../transport/types';
import type { CrmProvider } from './CrmProvider';
import { createAutochatProvider } from './autochat';
import { createDynamicsProvider } from './dynamics';
import { n8nDynamicsHttp } from './dynamics/n8nHttp';
import { createHubSpotProvider } from './hubspot';
import { crmDisplayName, profileOf } from './profiles';
import { createSalesforceProvider, type NoteStyle } from './salesforce';

export const SALESFORCE_API_VERSION = '62.0';

export interface ConnectedProvider {
	crm: CrmName;
	credentialType: string;
	provider: CrmProvider;
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

function oauthToken(data: ICredentialDataDecryptedObject): string | undefined {
	const tokenData = data.oauthTokenData as Record<string, unknown> | undefined;
	return text(tokenData?.access_token);
}

function fieldToken(field: string) {
	return (data: ICredentialDataDecryptedObject) => text(data[field]);
}

function isOAuth2(credentialType: string): boolean {
	return credentialType.endsWith('OAuth2Api');
}

/**
 * Tokens for one credential. OAuth2 credentials are refreshed by n8n's own OAuth2 helper;
 * preAuthentication credentials by an authenticated probe, which makes n8n re-run
 * preAuthentication and store the new token.
 */
function tokensFor(
	ctx: N8nCredentialContext,
	credentialType: string,
	readToken: (data: ICredentialDataDecryptedObject) => string | undefined,
	probe: IHttpRequestOptions,
	label?: string,
): TokenSource {
	const viaProbe = n8nTokenSource(ctx, credentialType, { readToken, probe, label });
	if (!isOAuth2(credentialType) || !('refreshOAuth2Token' in ctx.helpers)) return viaProbe;
	const helpers = ctx.helpers as {
		refreshOAuth2Token(this: N8nCredentialContext, type: string): Promise<Record<string, unknown>>;
	};
	return {
		getAccessToken: () => viaProbe.getAccessToken(),
		async refresh() {
			// n8n-core's helper reads the credential through `this`, so call it on the node context.
			const data = await helpers.refreshOAuth2Token.call(ctx, credentialType);
			const token = text(data?.access_token);
			return token ?? (await viaProbe.refresh());
		},
	};
}

/** The node's "Request Timeout (Seconds)" option, when it has one; the transport's default otherwise. */
function requestTimeoutMs(ctx: N8nCredentialContext): number {
	const seconds = Number(
		ctx.getNodeParameter(REQUEST_TIMEOUT_PATH, 0, DEFAULT_REQUEST_TIMEOUT_SECONDS),
	);
	return (
		(Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_REQUEST_TIMEOUT_SECONDS) * 1000
	);
}

export function selectedCrm(ctx: N8nCredentialContext): CrmName {
	const crm = ctx.getNodeParameter('crm', 0) as string;
	if (!(CRM_NAMES as readonly string[]).includes(crm)) throw new Error(`unsupported CRM "${crm}"`);
	return crm as CrmName;
}

/**
 * The credential as the user sees it in the node: its authentication choice and the name they
 * gave it in n8n, for errors that tell them which credential to fix and how.
 */
export function credentialInUse(
	crm: CrmName,
	authentication: string,
	credentialName?: string,
): CredentialInUse {
	const choice = profileOf(crm).authentication.choices.find((c) => c.value === authentication);
	const kind = choice?.name ?? authentication;
	const label = credentialName
		? `${kind} credential "${credentialName}"`
		: `${crmDisplayName(crm)} ${kind} credential`;
	return {
		label,
		isStatic: choice?.secret === 'static',
		whenRejected: choice?.whenRejected ?? 'Check the credential in n8n.',
	};
}

export interface ConnectOptions {
	/** Salesforce notes as ContentNote (default) or the legacy Note object. */
	salesforceNoteStyle?: NoteStyle;
}

export async function connectProvider(
	ctx: N8nCredentialContext,
	crm: CrmName = selectedCrm(ctx),
	options: ConnectOptions = {},
): Promise<ConnectedProvider> {
	const authentication = ctx.getNodeParameter(authParameterOf(crm), 0) as string;
	const credentialType = credentialTypeFor(crm, authentication);
	const data = await ctx.getCredentials<ICredentialDataDecryptedObject>(credentialType);
	const hosts = data as CredentialData;
	const chosen = ctx.getNode().credentials?.[credentialType];
	const limiterKey = `${credentialType}:${chosen?.id ?? 'unsaved'}`;
	const credential = credentialInUse(crm, authentication, chosen?.name);
	const transport = { retry: { requestTimeoutMs: requestTimeoutMs(ctx) }, credential };

	switch (crm) {
		case 'hubspot': {
			const apiBaseUrl = hubSpotApiBase(hosts);
			const readToken = isOAuth2(credentialType) ? oauthToken : fieldToken('accessToken');
			const probe: IHttpRequestOptions = {
				method: 'GET',
				url: `${apiBaseUrl}/account-info/v3/details`,
				json: true,
			};
			const tokens = tokensFor(ctx, credentialType, readToken, probe, credential.label);
			return {
				crm,
				credentialType,
				provider: createHubSpotProvider({ tokens, apiBaseUrl, limiterKey, transport }),
			};
		}
		case 'salesforce': {
			const instanceUrl = salesforceInstanceBase(hosts);
			const readToken = isOAuth2(credentialType) ? oauthToken : fieldToken('accessToken');
			// /limits needs a valid session (the bare /services/data/ list does not), so a probe there refreshes for real.
			const probe: IHttpRequestOptions = {
				method: 'GET',
				url: `${instanceUrl}/services/data/v${SALESFORCE_API_VERSION}/limits`,
				json: true,
			};
			const tokens = tokensFor(ctx, credentialType, readToken, probe, credential.label);
			const provider = createSalesforceProvider({
				tokens,
				instanceUrl,
				apiVersion: SALESFORCE_API_VERSION,
				limiterKey,
				noteStyle: options.salesforceNoteStyle,
				transport,
			});
			return { crm, credentialType, provider };
		}
		case 'dynamics': {
			const orgUrl = dynamicsOrgBase(hosts);
			const readToken = isOAuth2(credentialType) ? oauthToken : fieldToken('accessToken');
			const probe: IHttpRequestOptions = {
				method: 'GET',
				url: `${dynamicsApiBase(hosts)}/WhoAmI`,
				json: true,
			};
			const tokens = tokensFor(ctx, credentialType, readToken, probe, credential.label);
			// Every Dataverse call goes through n8n's authenticated request helper.
			const http = n8nDynamicsHttp(ctx, credentialType);
			return {
				crm,
				credentialType,
				provider: createDynamicsProvider({ tokens, orgUrl, limiterKey, http, transport }),
			};
		}
		case 'autochat': {
			const apiKey = text(data.apiKey);
			if (!apiKey) throw new Error('The autoch.at CRM credential has no API key');
			const provider = createAutochatProvider({
				apiKey,
				baseUrl: autochatApiBase(hosts),
				limiterKey,
				transport,
			});
			return { crm, credentialType, provider };
		}
	}
}
