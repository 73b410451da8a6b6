/**
 * The client-credentials grants of the Salesforce and Dynamics credentials, built from the
 * credential's fields: used by `preAuthentication` (node runs) and by the connection tests.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { OperationalError } from 'n8n-workflow';

import {
	requireHttpUrl,
	stringField,
	type ClientCredentialsTokenRequest,
	type TokenResponse,
} from './clientCredentialsToken';
import {
	DATAVERSE_API_PATH,
	dynamicsOrgBase,
	dynamicsResourceScope,
	microsoftTokenUrl,
	SALESFORCE_API_PATH,
	trimTrailingSlash,
} from './hosts';

export const SALESFORCE = 'Salesforce';
export const ENTRA_ID = 'Microsoft Entra ID';

function salesforceMyDomain(credentials: ICredentialDataDecryptedObject): string {
	return requireHttpUrl(credentials.myDomainUrl, 'My Domain URL', 'https://acme.my.salesforce.com');
}

/** POST <My Domain>/services/oauth2/token (the flow only works on the org's My Domain). */
export function salesforceTokenRequest(
	credentials: ICredentialDataDecryptedObject,
): ClientCredentialsTokenRequest {
	const clientSecret = stringField(credentials, 'clientSecret');
	return {
		vendor: SALESFORCE,
		tokenUrl: `${salesforceMyDomain(credentials)}/services/oauth2/token`,
		form: { client_id: stringField(credentials, 'clientId'), client_secret: clientSecret },
		secrets: [clientSecret],
	};
}

/** The org's API host: `instance_url` of the token answer, else the My Domain URL. */
export function salesforceInstanceUrl(
	token: TokenResponse,
	credentials: ICredentialDataDecryptedObject,
): string {
	return typeof token.instance_url === 'string' && token.instance_url
		? trimTrailingSlash(token.instance_url)
		: salesforceMyDomain(credentials);
}

/** A REST resource that needs a session but no object or setup permission ("Resources by Version"). */
export function salesforceSessionCheckUrl(instanceUrl: string): string {
	return `${instanceUrl}${SALESFORCE_API_PATH}/`;
}

/** POST <authority>/<tenant>/oauth2/v2.0/token with scope <org>/.default. */
export function dynamicsTokenRequest(
	credentials: ICredentialDataDecryptedObject,
): ClientCredentialsTokenRequest {
	requireHttpUrl(credentials.orgUrl, 'Organization URL', 'https://acme.crm.dynamics.com');
	if (!stringField(credentials, 'tenantId'))
		throw new OperationalError('Tenant ID is required for the client credentials flow');
	const clientSecret = stringField(credentials, 'clientSecret');
	return {
		vendor: ENTRA_ID,
		tokenUrl: microsoftTokenUrl(credentials),
		form: {
			client_id: stringField(credentials, 'clientId'),
			client_secret: clientSecret,
			scope: dynamicsResourceScope(credentials),
		},
		secrets: [clientSecret],
	};
}

/** WhoAmI: answers for any user or application user of the environment, and only with a valid token. */
export function dynamicsSessionCheckUrl(credentials: ICredentialDataDecryptedObject): string {
	return `${dynamicsOrgBase(credentials)}${DATAVERSE_API_PATH}/WhoAmI`;
}
