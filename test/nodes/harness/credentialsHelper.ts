/**
 * An in-memory credential store playing the part of n8n's CLI credentials helper, so the
 * real n8n-core request helpers (httpRequestWithAuthentication, requestOAuth2,
 * refreshOAuth2Token, preAuthentication on 401) run unchanged in node tests.
 * Updates (refreshed OAuth tokens, preAuthentication results) are kept, like n8n's database.
 */
import {
	ICredentialsHelper,
	NodeHelpers,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeProperties,
	type IRequestOptionsSimplified,
	type IWorkflowExecuteAdditionalData,
	type Workflow,
} from 'n8n-workflow';

type Data = ICredentialDataDecryptedObject;

export interface StoredCredential {
	id: string;
	name: string;
	type: string;
	data: Data;
}

/** Resolves `={{ $credentials.x }}` / `={{ $self.x }}` style values against credential data. */
function resolveValue(value: unknown, data: Data, workflow?: Workflow, node?: INode): unknown {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	if (!workflow || !node) throw new Error('expression in credential needs a workflow context');
	return workflow.expression.getSimpleParameterValue(
		node,
		value,
		'internal',
		{ $credentials: data, $self: data } as never,
		undefined,
		'',
	);
}

export class HarnessCredentialsHelper extends ICredentialsHelper {
	private readonly types = new Map<string, ICredentialType>();
	private readonly byId = new Map<string, StoredCredential>();
	/** Every update n8n asked for, newest last: lets tests prove a refresh went through n8n. */
	readonly updates: Array<{ type: string; kind: 'credentials' | 'oauthTokenData' }> = [];

	constructor(types: ICredentialType[]) {
		super();
		for (const type of types) this.types.set(type.name, type);
	}

	add(credential: StoredCredential): INodeCredentialsDetails {
		this.byId.set(credential.id, { ...credential, data: { ...credential.data } });
		return { id: credential.id, name: credential.name };
	}

	stored(id: string): StoredCredential | undefined {
		return this.byId.get(id);
	}

	private type(name: string): ICredentialType {
		const type = this.types.get(name);
		if (!type) throw new Error(`credential type "${name}" is not registered in the harness`);
		return type;
	}

	getParentTypes(name: string): string[] {
		const own = this.types.get(name)?.extends ?? [];
		return own.flatMap((parent) => [
			parent,
			...(this.types.has(parent) ? this.getParentTypes(parent) : []),
		]);
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: Data,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.type(typeName);
		const options = requestOptions as IHttpRequestOptions;
		if (authenticate === undefined) return options;
		if (typeof authenticate === 'function') return await authenticate(credentials, options);
		if (authenticate.type !== 'generic')
			throw new Error(`unsupported authenticate type ${String(authenticate.type)}`);
		const target = options as unknown as Record<string, Record<string, unknown> | undefined>;
		for (const [section, entries] of Object.entries(authenticate.properties)) {
			const resolved: Record<string, unknown> = { ...(target[section] ?? {}) };
			for (const [key, value] of Object.entries(entries as Record<string, unknown>)) {
				resolved[String(resolveValue(key, credentials, workflow, node))] = resolveValue(
					value,
					credentials,
					workflow,
					node,
				);
			}
			target[section] = resolved;
		}
		return options;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: Data,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<Data | undefined> {
		const type = this.type(typeName);
		const expirable = type.properties.find(
			(p) => p.type === 'hidden' && p.typeOptions?.expirable === true,
		);
		if (!type.preAuthentication || !expirable) return undefined;
		if (!credentialsExpired && credentials[expirable.name]) return undefined;
		const output = (await type.preAuthentication.call(helpers, credentials)) as Data;
		const details = node.credentials?.[typeName];
		if (details) await this.updateCredentials(details, typeName, { ...credentials, ...output });
		return output;
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: Data,
		typeName: string,
	): Promise<Data | undefined> {
		const type = this.type(typeName);
		return type.preAuthentication
			? ((await type.preAuthentication.call(helpers, credentials)) as Data)
			: undefined;
	}

	async getCredentials(details: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		const stored = this.lookup(details, type);
		return {
			id: stored.id,
			name: stored.name,
			type: stored.type,
			getData: () => ({ ...stored.data }),
		} as unknown as ICredentials;
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		details: INodeCredentialsDetails,
		type: string,
	): Promise<Data> {
		const stored = this.lookup(details, type);
		// Fill defaults the way n8n does, so hidden fields (URLs, grant type) are present.
		const withDefaults = NodeHelpers.getNodeParameters(
			this.getCredentialsProperties(type),
			stored.data as never,
			true,
			false,
			null,
			null,
		) as Data | null;
		return { ...(withDefaults ?? {}), ...stored.data };
	}

	async updateCredentials(
		details: INodeCredentialsDetails,
		type: string,
		data: Data,
	): Promise<void> {
		const stored = this.lookup(details, type);
		stored.data = { ...data };
		this.updates.push({ type, kind: 'credentials' });
	}

	async updateCredentialsOauthTokenData(
		details: INodeCredentialsDetails,
		type: string,
		data: Data,
	): Promise<void> {
		const stored = this.lookup(details, type);
		stored.data = { ...stored.data, oauthTokenData: data.oauthTokenData };
		this.updates.push({ type, kind: 'oauthTokenData' });
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const own = this.types.get(type);
		if (!own) return [];
		const inherited = (own.extends ?? []).flatMap((parent) =>
			this.getCredentialsProperties(parent),
		);
		const names = new Set(own.properties.map((p) => p.name));
		return [...inherited.filter((p) => !names.has(p.name)), ...own.properties];
	}

	private lookup(details: INodeCredentialsDetails, type: string): StoredCredential {
		const stored = details.id ? this.byId.get(details.id) : undefined;
		if (!stored || stored.type !== type)
			throw new Error(`no credential "${details.name}" of type ${type} in the harness`);
		return stored;
	}
}
