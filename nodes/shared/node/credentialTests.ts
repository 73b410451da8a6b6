/**
 * The connection tests n8n runs for the client-credentials credentials (node-level
 * `methods.credentialTest`, chosen through `testedBy` on the nodes' credential slots).
 * n8n prefers a credential's own `test` request, but that one is signed with the token
 * cached in the credential, so these two credentials have none and are tested here with a
 * fresh token. Every node that lists the credentials must offer these functions: n8n takes
 * the first such node it finds.
 */
import type { ICredentialTestFunction, ICredentialTestFunctions } from 'n8n-workflow';

import {
	type HttpAnswer,
	type SendHttp,
	HTTP_TIMEOUT_MS,
} from '../../../credentials/clientCredentialsToken';
import {
	testDynamicsClientCredentials,
	testSalesforceClientCredentials,
} from '../../../credentials/connectionTests';

/** Credential type → name of its test in `methods.credentialTest`. */
export const CREDENTIAL_TEST_NAMES: Readonly<Record<string, string>> = {
	crmSyncSalesforceClientCredentialsApi: 'crmSyncSalesforceClientCredentialsTest',
	crmSyncDynamicsClientCredentialsApi: 'crmSyncDynamicsClientCredentialsTest',
};

/** `send` over the request helper n8n gives credential tests (every status answered, body parsed). */
function sendWith(context: ICredentialTestFunctions): SendHttp {
	return async ({ method, url, headers, body }) => {
		const response = (await context.helpers.request({
			method,
			uri: url,
			headers,
			body,
			json: true,
			simple: false,
			resolveWithFullResponse: true,
			timeout: HTTP_TIMEOUT_MS,
		})) as { statusCode: number; body: unknown };
		const answer: HttpAnswer = { status: response.statusCode, body: response.body };
		return answer;
	};
}

export const crmCredentialTests: Record<string, ICredentialTestFunction> = {
	async crmSyncSalesforceClientCredentialsTest(this: ICredentialTestFunctions, credential) {
		return await testSalesforceClientCredentials(sendWith(this), credential.data ?? {});
	},
	async crmSyncDynamicsClientCredentialsTest(this: ICredentialTestFunctions, credential) {
		return await testDynamicsClientCredentials(sendWith(this), credential.data ?? {});
	},
};
