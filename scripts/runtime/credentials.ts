import type { N8nApi } from './n8nApi';

export interface CredentialInput {
	name: string;
	/** The credential type name, e.g. `hubSpotPrivateAppApi` (the class's `name`, not its file). */
	type: string;
	data: Record<string, unknown>;
}

export interface CredentialRef {
	id: string;
	name: string;
	type: string;
}

/** Credential ids by credential type: what workflow templates are filled from. */
export type CredentialMap = Record<string, CredentialRef>;

/** Creates a credential through the public API (n8n validates `data` against the type's schema). */
export async function createCredential(
	api: N8nApi,
	input: CredentialInput,
): Promise<CredentialRef> {
	const data = { ...(await domainRestrictionDefaults(api, input)), ...input.data };
	const created = await api.request<{ id: string; name: string; type: string }>(
		'POST',
		'/credentials',
		{ ...input, data },
	);
	return { id: created.id, name: created.name, type: created.type };
}

/**
 * n8n 1.x adds an HTTP Request domain restriction to every credential type, and its public API
 * schema requires `allowedDomains` whenever `allowedHttpRequestDomains` is absent (an `if` that
 * an absent property satisfies): send n8n's own default, all domains allowed, which the schema
 * then accepts without `allowedDomains`. n8n 2.x has no such fields and gets nothing extra.
 */
async function domainRestrictionDefaults(
	api: N8nApi,
	input: CredentialInput,
): Promise<Record<string, unknown>> {
	const schema = await api.request<{ properties?: Record<string, unknown> }>(
		'GET',
		`/credentials/schema/${encodeURIComponent(input.type)}`,
	);
	return schema.properties && 'allowedHttpRequestDomains' in schema.properties
		? { allowedHttpRequestDomains: 'all' }
		: {};
}

export async function deleteCredential(api: N8nApi, id: string): Promise<void> {
	await api.request('DELETE', `/credentials/${encodeURIComponent(id)}`);
}
