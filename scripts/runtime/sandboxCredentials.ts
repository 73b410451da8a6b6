import type { CredentialInput } from './credentials';
import type { PackCredentialType } from './packInfo';

export type SandboxCrm = 'hubspot' | 'salesforce' | 'dynamics' | 'autochat';

/** Which CRM a credential type is for, from its type name (`hubSpotPrivateAppApi` → hubspot). */
export function crmOfCredentialType(typeName: string): SandboxCrm | undefined {
	if (/hub\s*spot/i.test(typeName)) return 'hubspot';
	if (/salesforce/i.test(typeName)) return 'salesforce';
	if (/dynamics|dataverse|microsoft/i.test(typeName)) return 'dynamics';
	if (/auto\s*ch\.?at/i.test(typeName)) return 'autochat';
	return undefined;
}

/**
 * Sandbox values by credential field name. The sandbox accepts any HubSpot token starting
 * `pat-`, any autoch.at key starting `ak_`, and any client id/secret at its token endpoints.
 * These are fake local values; no real secret is involved.
 */
export function sandboxFieldValues(crm: SandboxCrm, sandboxUrl: string): Record<string, unknown> {
	const root = sandboxUrl.replace(/\/+$/, '');
	switch (crm) {
		case 'hubspot':
			return {
				useCustomHosts: true,
				apiBaseUrl: `${root}/hubspot`,
				appBaseUrl: `${root}/hubspot`,
				accessToken: 'pat-sandbox-demo',
				token: 'pat-sandbox-demo',
				appToken: 'pat-sandbox-demo',
			};
		case 'salesforce':
			return {
				useCustomHosts: true,
				myDomainUrl: `${root}/salesforce`,
				domainUrl: `${root}/salesforce`,
				loginUrl: `${root}/salesforce`,
				clientId: 'sandbox-salesforce-client',
				clientSecret: 'sandbox-salesforce-secret',
			};
		case 'dynamics':
			return {
				useCustomHosts: true,
				authorityUrl: `${root}/microsoft`,
				authorityHost: `${root}/microsoft`,
				authority: `${root}/microsoft`,
				orgUrl: `${root}/dynamics`,
				organizationUrl: `${root}/dynamics`,
				environmentUrl: `${root}/dynamics`,
				tenantId: 'sandbox-tenant',
				clientId: 'sandbox-dynamics-client',
				clientSecret: 'sandbox-dynamics-secret',
			};
		case 'autochat':
			return {
				useCustomHosts: true,
				baseUrl: `${root}/autochat/v1`,
				apiBaseUrl: `${root}/autochat/v1`,
				apiKey: 'ak_sandbox_demo',
				webhookSigningSecret: 'sandbox-webhook-secret',
			};
	}
}

export interface SandboxCredentialPlan {
	create: CredentialInput[];
	/** Types left out, each with the reason (e.g. interactive OAuth needs a browser). */
	skipped: Array<{ type: string; reason: string }>;
}

/**
 * One sandbox credential per key-mode credential type of the pack. Interactive OAuth2 types
 * (extending n8n's oAuth2Api) need a browser consent and are skipped; only fields the type
 * declares are filled, the rest keep their defaults.
 */
export function planSandboxCredentials(
	types: PackCredentialType[],
	sandboxUrl: string,
): SandboxCredentialPlan {
	const plan: SandboxCredentialPlan = { create: [], skipped: [] };
	for (const type of types) {
		const crm = crmOfCredentialType(type.name);
		if (crm === undefined) {
			plan.skipped.push({ type: type.name, reason: 'not a CRM credential the sandbox serves' });
			continue;
		}
		if (type.extends.some((parent) => /oauth2/i.test(parent))) {
			plan.skipped.push({ type: type.name, reason: 'interactive OAuth2 needs a browser consent' });
			continue;
		}
		const values = sandboxFieldValues(crm, sandboxUrl);
		const data: Record<string, unknown> = {};
		for (const property of type.properties) {
			if (property.name in values) data[property.name] = values[property.name];
		}
		plan.create.push({ name: `Sandbox ${type.displayName}`, type: type.name, data });
	}
	return plan;
}

/**
 * n8n's own SMTP credential (Send Email node) pointed at the sandbox's mail sink: plain SMTP
 * without TLS or a login, so the templates' notification e-mails land in the sandbox outbox.
 */
export function sandboxSmtpCredential(smtp: { host: string; port: number }): CredentialInput {
	return {
		name: 'Sandbox outbox (SMTP)',
		type: 'smtp',
		data: {
			user: '',
			password: '',
			host: smtp.host,
			port: smtp.port,
			secure: false,
			disableStartTls: true,
		},
	};
}
