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
export async function createCredential(api: N8nApi, input: CredentialInput): Promise<CredentialRef> {
	const created = await api.request<{ id: string; name: string; type: string }>('POST', '/credentials', input);
	return { id: created.id, name: created.name, type: created.type };
}

export async function deleteCredential(api: N8nApi, id: string): Promise<void> {
	await api.request('DELETE', `/credentials/${encodeURIComponent(id)}`);
}
