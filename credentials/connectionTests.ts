/**
 * Connection tests of the client-credentials credentials. n8n's declarative `test` request
 * would be signed with the token cached in the credential's hidden `accessToken` field, so a
 * revoked or rotated secret would still pass until that token expires. These tests always
 * ask for a fresh token with the stored secret, then call an API that needs a valid token.
 * Messages name what was rejected; they never contain the secret or the token.
 */
import type { ICredentialDataDecryptedObject, INodeCredentialTestResult } from 'n8n-workflow';

import {
	dynamicsSessionCheckUrl,
	dynamicsTokenRequest,
	salesforceInstanceUrl,
	salesforceSessionCheckUrl,
	salesforceTokenRequest,
} from './clientCredentialsFlows';
import {
	fetchClientCredentialsToken,
	redact,
	unreachableDetail,
	vendorDetail,
	type ClientCredentialsTokenRequest,
	type SendHttp,
	type TokenOutcome,
	type TokenResponse,
} from './clientCredentialsToken';

interface ClientCredentialsCheck {
	/** Throws a clear error when the credential's fields cannot make a request. */
	tokenRequest: () => ClientCredentialsTokenRequest;
	/** Shown in messages: "Salesforce REST API", "Dataverse Web API". */
	apiName: string;
	sessionCheckUrl: (token: TokenResponse) => string;
}

const fail = (message: string): INodeCredentialTestResult => ({ status: 'Error', message });

/** What the token endpoint's refusal means, in the credential's words. */
function refusal(outcome: Extract<TokenOutcome, { failure: 'refused' }>, vendor: string): string {
	const reason = `${outcome.detail.replace(/\.+$/, '') || 'no reason given'} (HTTP ${outcome.status})`;
	switch (outcome.error) {
		case 'invalid_client':
			return `The client secret was rejected by ${vendor}: ${reason}. Check the secret; a rotated, expired or revoked secret fails here.`;
		case 'invalid_client_id':
		case 'unauthorized_client':
			return `The client ID was rejected by ${vendor}: ${reason}.`;
		default:
			return `${vendor} refused the token request: ${reason}.`;
	}
}

async function runClientCredentialsTest(
	send: SendHttp,
	check: ClientCredentialsCheck,
): Promise<INodeCredentialTestResult> {
	let request: ClientCredentialsTokenRequest;
	try {
		request = check.tokenRequest();
	} catch (error) {
		return fail((error as Error).message);
	}
	const { vendor, tokenUrl } = request;
	const outcome = await fetchClientCredentialsToken(send, request);
	if (!outcome.ok) {
		if (outcome.failure === 'refused')
			return fail(redact(refusal(outcome, vendor), request.secrets));
		if (outcome.failure === 'unreachable')
			return fail(`Could not reach the ${vendor} token endpoint ${tokenUrl} (${outcome.detail}).`);
		return fail(
			`${vendor} answered the token request (HTTP ${outcome.status}) without an access token.`,
		);
	}

	const token = outcome.token.access_token;
	const hidden = [...request.secrets, token];
	let url: string;
	try {
		url = check.sessionCheckUrl(outcome.token);
	} catch (error) {
		return fail((error as Error).message);
	}
	let answer: Awaited<ReturnType<SendHttp>>;
	try {
		answer = await send({
			method: 'GET',
			url,
			headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
		});
	} catch (error) {
		return fail(
			`${vendor} issued a new access token, but the ${check.apiName} at ${url} could not be reached (${unreachableDetail(error)}).`,
		);
	}
	if (answer.status >= 200 && answer.status < 300) {
		return {
			status: 'OK',
			message: `Connection successful: ${vendor} issued a new access token and the ${check.apiName} accepted it.`,
		};
	}
	const detail = vendorDetail(answer.body) || 'no reason given';
	const what = answer.status === 401 ? 'rejected it' : `answered HTTP ${answer.status}`;
	return fail(
		redact(
			`${vendor} issued a new access token, but the ${check.apiName} ${what}: ${detail} (GET ${url}).`,
			hidden,
		),
	);
}

export async function testSalesforceClientCredentials(
	send: SendHttp,
	credentials: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	return await runClientCredentialsTest(send, {
		tokenRequest: () => salesforceTokenRequest(credentials),
		apiName: 'Salesforce REST API',
		sessionCheckUrl: (token) =>
			salesforceSessionCheckUrl(salesforceInstanceUrl(token, credentials)),
	});
}

export async function testDynamicsClientCredentials(
	send: SendHttp,
	credentials: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	return await runClientCredentialsTest(send, {
		tokenRequest: () => dynamicsTokenRequest(credentials),
		apiName: 'Dataverse Web API',
		sessionCheckUrl: () => dynamicsSessionCheckUrl(credentials),
	});
}
