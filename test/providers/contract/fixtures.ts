/**
 * What differs per CRM in the shared provider contract suite: object names, record shapes,
 * seeded ids, how write calls show in the sandbox request log and how to build the provider.
 * The test bodies in contract.test.ts are the same for every CRM.
 */
import { AUTOCHAT_TEXT_LIMITS } from '../../../nodes/shared/providers/autochat/profile';
import { DYNAMICS_TEXT_LIMITS } from '../../../nodes/shared/providers/dynamics/profile';
import { HUBSPOT_TEXT_LIMITS } from '../../../nodes/shared/providers/hubspot/profile';
import { SALESFORCE_TEXT_LIMITS } from '../../../nodes/shared/providers/salesforce/profile';
import type { CrmProvider, RecordWrite } from '../../../nodes/shared/providers/CrmProvider';
import { createAutochatProvider } from '../../../nodes/shared/providers/autochat';
import { createDynamicsProvider } from '../../../nodes/shared/providers/dynamics';
import { createHubSpotProvider } from '../../../nodes/shared/providers/hubspot';
import { createSalesforceProvider } from '../../../nodes/shared/providers/salesforce';
import type { TransportOptions } from '../../../nodes/shared/transport/createTransport';
import type { TokenSource } from '../../../nodes/shared/transport/types';
import { clientCredentialsToken } from '../../sandbox/helpers';
import type { LoggedRequest, SandboxHandle, VendorName } from '../../sandbox/server';
import { AUTOCHAT_SEED_IDS } from '../../sandbox/vendors/autochat';
import { DYNAMICS_SEED_IDS } from '../../sandbox/vendors/dynamics';
import { HUBSPOT_SEED_IDS } from '../../sandbox/vendors/hubspot';
import { SALESFORCE_SEED_IDS } from '../../sandbox/vendors/salesforce';

/** A token source backed by the sandbox that counts refresh() calls. */
export interface CountingTokens extends TokenSource {
	refreshes(): number;
}

export interface ProviderFixture {
	vendor: VendorName;
	/** Object type passed to upsertRecords / getRecords for contacts. */
	contactType: string;
	/** A valid contact write, unique per index. */
	contact(index: number): RecordWrite;
	/** A write the CRM rejects (bad email, missing required field, too long). */
	invalidContact: RecordWrite;
	/** The CRM's own message for invalidContact, as the provider must pass it on. */
	invalidMessage: RegExp;
	/** A property to read back on getRecords. */
	readProperty: string;
	seeded: { alice: string; bob: string };
	/** Records written in the batching test (autoch.at has no batch API and 100 req/min). */
	batchRecords: number;
	/** Request-log entries that are record write calls. */
	isWriteCall(request: LoggedRequest): boolean;
	/** Request-log entries that go to the data API (not the token endpoint). */
	apiPath: string;
	/** Where a stored note points to its target, read from the sandbox store. */
	noteTargets(sandbox: SandboxHandle, noteId: string): string[];
	/** The note's text exactly as the CRM stores it (HTML where the field is rich text). */
	storedNote(sandbox: SandboxHandle, noteId: string): string;
	/** The most the note field holds, as the CRM counts it. */
	noteLimit: number;
	/** Whether the note field is rich text (stored as escaped HTML) or plain text. */
	noteIsRichText: boolean;
	/** Whether findActivity finds a note by its key; otherwise the key line is checked in the stored text. */
	findsNotesByKey: boolean;
	/** The text the stored note carries for its key (a Ref line where notes cannot be looked up). */
	noteKeyText?(key: string): string;
	/** CRMs with tasks: the stored task description and the most it holds. */
	task?: { storedDescription(sandbox: SandboxHandle, taskId: string): string; limit: number };
	/** Text of the lookups sent to the CRM, to check escaping; undefined when values travel as JSON. */
	queryText?(requests: LoggedRequest[]): string;
	/** Lower case (providers lower-case emails): how the hostile `' OR Name LIKE '%` must appear once escaped. */
	escapedQuote?: string;
	/** Pattern that would mean the quote went out unescaped. */
	unescapedQuote?: RegExp;
	/** OAuth CRMs: access tokens expire and are refreshed. API-key CRMs (autoch.at): they don't. */
	tokensExpire: boolean;
	/** Request-log entries that load the contact object's description (none where it is static). */
	isDescribeCall(request: LoggedRequest): boolean;
	/** Calls one describe of the contact object costs: 1, or 0 where the description is static (autoch.at). */
	describeCalls: number;
	/** CRMs with users: request-log entries that look owners up. */
	isOwnersCall?(request: LoggedRequest): boolean;
	/** `limiterKey` names the credential: two providers with the same one share it. */
	create(
		sandbox: SandboxHandle,
		transport: Partial<TransportOptions>,
		tokens: CountingTokens,
		options?: ProviderOptions,
	): CrmProvider;
	tokens(sandbox: SandboxHandle): Promise<CountingTokens>;
}

function countingTokens(issue: () => Promise<string>, first: string): CountingTokens {
	let token = first;
	let refreshes = 0;
	return {
		getAccessToken: async () => token,
		refresh: async () => {
			refreshes += 1;
			token = await issue();
			return token;
		},
		refreshes: () => refreshes,
	};
}

async function endpointTokens(
	sandbox: SandboxHandle,
	vendor: 'salesforce' | 'dynamics',
): Promise<CountingTokens> {
	const issue = () => clientCredentialsToken(sandbox.url, vendor);
	return countingTokens(issue, await issue());
}

export interface ProviderOptions {
	apiKey?: string;
	limiterKey?: string;
}

let limiterSeq = 0;
const limiterKey = (vendor: VendorName, options?: ProviderOptions) =>
	options?.limiterKey ?? `contract:${vendor}:${++limiterSeq}`;

/** Decoded urls of Salesforce composite subrequests (their SOQL travels URL-encoded in `url`). */
const subrequestUrls = (body: unknown): string[] => {
	const requests = (body as { compositeRequest?: unknown } | null)?.compositeRequest;
	if (!Array.isArray(requests)) return [];
	return requests.map((entry) => decodeURIComponent(String((entry as { url?: unknown }).url)));
};

/** The request body or query as text, for escaping checks ($batch bodies are text; SOQL travels in `q` or a subrequest's url). */
const requestText = (request: LoggedRequest): string =>
	[
		request.path,
		...Object.values(request.query),
		typeof request.body === 'string' ? request.body : JSON.stringify(request.body ?? ''),
		...subrequestUrls(request.body),
	].join('\n');

export const FIXTURES: ProviderFixture[] = [
	{
		vendor: 'hubspot',
		contactType: 'contacts',
		contact: (i) => ({
			properties: {
				email: `contract.${i}@bulk.example`,
				firstname: 'Contract',
				lastname: `Row ${i}`,
			},
		}),
		invalidContact: { properties: { email: 'not-an-email', lastname: 'Broken' } },
		invalidMessage: /Email address not-an-email is invalid/,
		readProperty: 'email',
		seeded: { alice: HUBSPOT_SEED_IDS.contacts.alice, bob: HUBSPOT_SEED_IDS.contacts.bob },
		batchRecords: 450,
		isWriteCall: (r) =>
			r.method === 'POST' &&
			/\/crm\/v3\/objects\/contacts\/batch\/(create|update|upsert)$/.test(r.path),
		apiPath: '/crm/',
		noteTargets: (sandbox, noteId) =>
			sandbox.store.linksFrom('hubspot', 'notes', noteId).map((link) => link.toId),
		storedNote: (sandbox, noteId) =>
			String(sandbox.store.get('hubspot', 'notes', noteId)?.fields.hs_note_body ?? ''),
		noteLimit: HUBSPOT_TEXT_LIMITS.propertyValue,
		noteIsRichText: true,
		findsNotesByKey: true,
		task: {
			storedDescription: (sandbox, id) =>
				String(sandbox.store.get('hubspot', 'tasks', id)?.fields.hs_task_body ?? ''),
			limit: HUBSPOT_TEXT_LIMITS.propertyValue,
		},
		tokensExpire: true,
		// An OAuth access token (pat- keys never expire), as HubSpot's token endpoint would issue it.
		tokens: async (sandbox) =>
			countingTokens(
				async () => sandbox.admin.issueToken('hubspot'),
				sandbox.admin.issueToken('hubspot'),
			),
		isDescribeCall: (r) => r.method === 'GET' && r.path.endsWith('/crm/v3/properties/contacts'),
		describeCalls: 1,
		isOwnersCall: (r) => r.path.includes('/crm/v3/owners'),
		create: (sandbox, transport, tokens, options) =>
			createHubSpotProvider({
				tokens,
				apiBaseUrl: `${sandbox.url}/hubspot`,
				limiterKey: limiterKey('hubspot', options),
				transport,
			}),
	},
	{
		vendor: 'salesforce',
		contactType: 'Contact',
		contact: (i) => ({
			properties: {
				Email: `contract.${i}@bulk.example`,
				FirstName: 'Contract',
				LastName: `Row ${i}`,
			},
		}),
		invalidContact: { properties: { FirstName: 'No last name' } },
		invalidMessage: /Required fields are missing: \[LastName\]/,
		readProperty: 'Email',
		seeded: { alice: SALESFORCE_SEED_IDS.contacts.alice, bob: SALESFORCE_SEED_IDS.contacts.bob },
		batchRecords: 450,
		isWriteCall: (r) =>
			(r.method === 'POST' || r.method === 'PATCH') && r.path.endsWith('/composite/sobjects'),
		apiPath: '/services/data/',
		noteTargets: (sandbox, noteId) =>
			sandbox.store
				.list('salesforce', 'ContentDocumentLink')
				.filter((link) => link.fields.ContentDocumentId === noteId)
				.map((link) => String(link.fields.LinkedEntityId)),
		storedNote: (sandbox, noteId) =>
			Buffer.from(
				String(sandbox.store.get('salesforce', 'ContentNote', noteId)?.fields.Content ?? ''),
				'base64',
			).toString('utf8'),
		noteLimit: SALESFORCE_TEXT_LIMITS.contentNote,
		noteIsRichText: true,
		// ContentNotes cannot be queried by content: the Ref paragraph is what identifies the write.
		findsNotesByKey: false,
		noteKeyText: (key) => `<p>Ref: ${key}</p>`,
		task: {
			storedDescription: (sandbox, id) =>
				String(sandbox.store.get('salesforce', 'Task', id)?.fields.Description ?? ''),
			limit: SALESFORCE_TEXT_LIMITS.description,
		},
		queryText: (requests) =>
			requests
				.filter(
					(r) =>
						r.path.includes('/query') ||
						r.path.includes('/search') ||
						r.path.includes('/composite'),
				)
				.map(requestText)
				.join('\n'),
		escapedQuote: "'\\' or name like \\'%'",
		unescapedQuote: /(?<!\\)' or name like/,
		tokensExpire: true,
		tokens: (sandbox) => endpointTokens(sandbox, 'salesforce'),
		isDescribeCall: (r) => r.method === 'GET' && r.path.endsWith('/sobjects/Contact/describe'),
		describeCalls: 1,
		isOwnersCall: (r) => r.path.endsWith('/query') && /from user\b/i.test(requestText(r)),
		create: (sandbox, transport, tokens, options) =>
			createSalesforceProvider({
				tokens,
				instanceUrl: `${sandbox.url}/salesforce`,
				limiterKey: limiterKey('salesforce', options),
				transport,
			}),
	},
	{
		vendor: 'dynamics',
		contactType: 'contact',
		contact: (i) => ({
			properties: {
				emailaddress1: `contract.${i}@bulk.example`,
				firstname: 'Contract',
				lastname: `Row ${i}`,
			},
		}),
		invalidContact: { properties: { firstname: 'Too', lastname: 'x'.repeat(51) } },
		invalidMessage: /'lastname' attribute .* exceeded the maximum allowed length of '50'/,
		readProperty: 'emailaddress1',
		seeded: { alice: DYNAMICS_SEED_IDS.contacts.alice, bob: DYNAMICS_SEED_IDS.contacts.bob },
		batchRecords: 450,
		isWriteCall: (r) => r.path.endsWith('/$batch'),
		apiPath: '/api/data/',
		noteTargets: (sandbox, noteId) =>
			sandbox.store
				.list('dynamics', 'annotation')
				.filter((note) => note.id === noteId)
				.map((note) => String(note.fields._objectid_value)),
		storedNote: (sandbox, noteId) =>
			String(sandbox.store.get('dynamics', 'annotation', noteId)?.fields.notetext ?? ''),
		noteLimit: DYNAMICS_TEXT_LIMITS.noteText,
		noteIsRichText: true,
		findsNotesByKey: true,
		task: {
			storedDescription: (sandbox, id) =>
				String(sandbox.store.get('dynamics', 'task', id)?.fields.description ?? ''),
			limit: DYNAMICS_TEXT_LIMITS.activityDescription,
		},
		// The $batch body carries URL-encoded GET lines: decode them to read the OData filter.
		queryText: (requests) =>
			decodeURIComponent(
				requests
					.filter((r) => r.path.includes('/api/data/'))
					.map(requestText)
					.join('\n'),
			),
		escapedQuote: "eq ''' or name like ''%'",
		// What the filter would read had the quote not been doubled.
		unescapedQuote: /eq '' or name like/,
		tokensExpire: true,
		tokens: (sandbox) => endpointTokens(sandbox, 'dynamics'),
		// Columns and option sets in one $batch.
		isDescribeCall: (r) =>
			r.path.endsWith('/$batch') &&
			decodeURIComponent(requestText(r)).includes(
				"EntityDefinitions(LogicalName='contact')/Attributes",
			),
		describeCalls: 1,
		isOwnersCall: (r) => r.path.includes('/systemusers'),
		create: (sandbox, transport, tokens, options) =>
			createDynamicsProvider({
				tokens,
				orgUrl: `${sandbox.url}/dynamics`,
				limiterKey: limiterKey('dynamics', options),
				transport,
			}),
	},
	{
		vendor: 'autochat',
		contactType: 'client',
		contact: (i) => ({
			properties: { email: `contract.${i}@bulk.example`, name: `Contract Row ${i}` },
		}),
		invalidContact: { properties: { email: 'not-an-email', name: 'Broken' } },
		invalidMessage: /email is not a valid email address/,
		readProperty: 'email',
		seeded: { alice: AUTOCHAT_SEED_IDS.alice, bob: AUTOCHAT_SEED_IDS.bob },
		// Batch size 1 and 100 requests/min: a handful of records proves one call per record.
		batchRecords: 5,
		isWriteCall: (r) =>
			(r.method === 'POST' || r.method === 'PATCH' || r.method === 'PUT') &&
			/\/clients(\/[^/]+)?$/.test(r.path),
		apiPath: '/autochat/v1/',
		noteTargets: (sandbox, noteId) =>
			sandbox.store
				.list('autochat', 'activities')
				.filter((activity) => activity.id === noteId)
				.map((activity) => String(activity.fields.client_id)),
		storedNote: (sandbox, noteId) =>
			String(sandbox.store.get('autochat', 'activities', noteId)?.fields.body ?? ''),
		noteLimit: AUTOCHAT_TEXT_LIMITS.activityBody,
		noteIsRichText: false,
		findsNotesByKey: true,
		tokensExpire: false,
		tokens: async () => countingTokens(async () => 'unused', 'unused'),
		// No metadata endpoint: the client fields are described statically, and there is no users API.
		isDescribeCall: () => false,
		describeCalls: 0,
		create: (sandbox, transport, _tokens, options) =>
			createAutochatProvider({
				apiKey: options?.apiKey ?? 'ak_contract_key',
				baseUrl: `${sandbox.url}/autochat/v1`,
				limiterKey: limiterKey('autochat', options),
				transport,
			}),
	},
];
