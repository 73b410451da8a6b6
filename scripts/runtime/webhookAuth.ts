/**
 * The secret the templates' webhooks require. Every template's Webhook node uses n8n's
 * Header Auth and names a credential of type `httpHeaderAuth`; the runtime creates one
 * with a fresh random value per start, so a demo or test instance never accepts anonymous
 * calls. It is a local value for a throwaway instance, shown to its owner only.
 */
import { randomBytes } from 'node:crypto';

import type { CredentialInput } from './credentials';

export const WEBHOOK_AUTH_CREDENTIAL_TYPE = 'httpHeaderAuth';
export const WEBHOOK_AUTH_HEADER = 'X-CRM-Sync-Secret';

export interface WebhookAuth {
	header: string;
	value: string;
}

/** 32 random bytes, URL-safe (no quoting needed in a shell or a header). */
export function newWebhookAuth(): WebhookAuth {
	return { header: WEBHOOK_AUTH_HEADER, value: randomBytes(32).toString('base64url') };
}

export function webhookAuthCredential(auth: WebhookAuth): CredentialInput {
	return {
		name: 'Webhook secret',
		type: WEBHOOK_AUTH_CREDENTIAL_TYPE,
		data: { name: auth.header, value: auth.value },
	};
}
