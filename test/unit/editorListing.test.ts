/**
 * How the pack looks in n8n's editor before anything runs: where the node picker lists each node
 * and what finds it, labels that fit the parameter panel, and the authentication choice offered
 * first.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ICredentialType, INodeProperties, INodeType } from 'n8n-workflow';

import { CrmSyncAutochatApi } from '../../credentials/CrmSyncAutochatApi.credentials';
import { CrmSyncDynamicsClientCredentialsApi } from '../../credentials/CrmSyncDynamicsClientCredentialsApi.credentials';
import { CrmSyncDynamicsOAuth2Api } from '../../credentials/CrmSyncDynamicsOAuth2Api.credentials';
import { CrmSyncHubSpotOAuth2Api } from '../../credentials/CrmSyncHubSpotOAuth2Api.credentials';
import { CrmSyncHubSpotPrivateAppApi } from '../../credentials/CrmSyncHubSpotPrivateAppApi.credentials';
import { CrmSyncSalesforceClientCredentialsApi } from '../../credentials/CrmSyncSalesforceClientCredentialsApi.credentials';
import { CrmSyncSalesforceOAuth2Api } from '../../credentials/CrmSyncSalesforceOAuth2Api.credentials';
import { AutochatCrmTrigger } from '../../nodes/AutochatCrmTrigger/AutochatCrmTrigger.node';
import { CrmActionItemsToTasks } from '../../nodes/CrmActionItemsToTasks/CrmActionItemsToTasks.node';
import { CrmContactFieldMerge } from '../../nodes/CrmContactFieldMerge/CrmContactFieldMerge.node';
import { CrmContactLookup } from '../../nodes/CrmContactLookup/CrmContactLookup.node';
import { CrmLink } from '../../nodes/CrmLink/CrmLink.node';
import { CrmMeetingWriter } from '../../nodes/CrmMeetingWriter/CrmMeetingWriter.node';
import { CrmNoteRouter } from '../../nodes/CrmNoteRouter/CrmNoteRouter.node';
import { CrmQualificationGate } from '../../nodes/CrmQualificationGate/CrmQualificationGate.node';
import { CrmRecordSync } from '../../nodes/CrmRecordSync/CrmRecordSync.node';
import { CrmSyncTrigger } from '../../nodes/CrmSyncTrigger/CrmSyncTrigger.node';
import { CrmTimelineSync } from '../../nodes/CrmTimelineSync/CrmTimelineSync.node';
import { profileOf } from '../../nodes/shared/providers/profiles';

const ROOT = resolve(__dirname, '..', '..');

interface Codex {
	categories: string[];
	subcategories?: Record<string, string[]>;
	alias?: string[];
}

const NODE_TYPES: INodeType[] = [
	new AutochatCrmTrigger(),
	new CrmActionItemsToTasks(),
	new CrmContactFieldMerge(),
	new CrmContactLookup(),
	new CrmLink(),
	new CrmMeetingWriter(),
	new CrmNoteRouter(),
	new CrmQualificationGate(),
	new CrmRecordSync(),
	new CrmSyncTrigger(),
	new CrmTimelineSync(),
];

/** Each node class with its codex file (`nodes/<Class>/<Class>.node.json`). */
function packNodes(): Array<{ folder: string; type: INodeType; codex: Codex }> {
	const folders = readdirSync(join(ROOT, 'nodes'), { withFileTypes: true }).filter(
		(entry) => entry.isDirectory() && entry.name !== 'shared',
	);
	// Every node folder is in the list above.
	expect(folders.map((entry) => entry.name).sort()).toEqual(
		NODE_TYPES.map((type) => type.constructor.name).sort(),
	);
	return NODE_TYPES.map((type) => {
		const folder = type.constructor.name;
		const codex = JSON.parse(
			readFileSync(join(ROOT, 'nodes', folder, `${folder}.node.json`), 'utf8'),
		) as Codex;
		return { folder, type, codex };
	});
}

function packCredentials(): ICredentialType[] {
	const credentials = [
		new CrmSyncAutochatApi(),
		new CrmSyncDynamicsClientCredentialsApi(),
		new CrmSyncDynamicsOAuth2Api(),
		new CrmSyncHubSpotOAuth2Api(),
		new CrmSyncHubSpotPrivateAppApi(),
		new CrmSyncSalesforceClientCredentialsApi(),
		new CrmSyncSalesforceOAuth2Api(),
	];
	const files = readdirSync(join(ROOT, 'credentials')).filter((file) =>
		file.endsWith('.credentials.ts'),
	);
	expect(files.map((file) => file.replace('.credentials.ts', '')).sort()).toEqual(
		credentials.map((c) => c.constructor.name).sort(),
	);
	return credentials;
}

/** Every label the parameter panel shows: parameters, collection entries and fixed-collection groups. */
function labels(properties: readonly INodeProperties[]): string[] {
	const found: string[] = [];
	for (const property of properties) {
		// A notice is a paragraph of text, not a label.
		if (property.type !== 'notice') found.push(property.displayName);
		for (const option of property.options ?? []) {
			const nested = option as { displayName?: string; values?: INodeProperties[]; type?: string };
			if (nested.values) {
				found.push(nested.displayName ?? '');
				found.push(...labels(nested.values));
			} else if (nested.type !== undefined) {
				found.push(...labels([option as INodeProperties]));
			}
		}
	}
	return found;
}

/** What n8n's node picker matches a search against: the display name and the codex aliases. */
function searchFinds(term: string, type: INodeType, codex: Codex): boolean {
	const haystack = [type.description.displayName, ...(codex.alias ?? [])].map((text) =>
		text.toLowerCase(),
	);
	return haystack.some((text) => text.includes(term.toLowerCase()));
}

const NODES = packNodes();

test('finds all eleven nodes', () => {
	expect(NODES.map((node) => node.folder)).toHaveLength(11);
});

test.each(NODES.map((node) => [node.folder, node] as const))(
	'%s is listed where the node picker shows it',
	(_folder, { codex }) => {
		expect(codex.categories).toContain('Sales');
		expect(codex.subcategories?.Sales).toEqual(['CRM']);
		// Under AI the picker lists only AI root nodes and sub-nodes: a regular node there cannot be found.
		expect(codex.categories).not.toContain('AI');
	},
);

test.each(['CRM Qualification Gate', 'qualification gate', 'lead', 'qualif', 'CRM'])(
	'the node picker finds the Gate by "%s"',
	(term) => {
		const gate = NODES.find((node) => node.folder === 'CrmQualificationGate')!;
		expect(searchFinds(term, gate.type, gate.codex)).toBe(true);
	},
);

test.each(NODES.map((node) => [node.folder, node] as const))(
	'%s: no label is cut off in the parameter panel (32 characters at most)',
	(_folder, { type }) => {
		const long = labels(type.description.properties).filter((label) => label.length > 32);
		expect(long).toEqual([]);
	},
);

test('no credential field label is cut off either', () => {
	const long = packCredentials()
		.flatMap((credential) => labels(credential.properties))
		.filter((label) => label.length > 32);
	expect(long).toEqual([]);
});

test('the first authentication choice, also the default, is the one most self-hosted installs use', () => {
	const firstChoice = (crm: 'hubspot' | 'salesforce' | 'dynamics' | 'autochat') =>
		profileOf(crm).authentication.choices[0].value;
	// HubSpot: a private app token (OAuth2 needs a public HubSpot app of one's own).
	expect(firstChoice('hubspot')).toBe('privateApp');
	// Salesforce and Dynamics: OAuth2, as in n8n's own nodes for these CRMs.
	expect(firstChoice('salesforce')).toBe('oAuth2');
	expect(firstChoice('dynamics')).toBe('oAuth2');
	for (const { type } of NODES) {
		for (const property of type.description.properties.filter(
			(p) => p.name === 'hubspotAuthentication',
		)) {
			expect(property.default).toBe('privateApp');
			expect((property.options as Array<{ value: string }>)[0].value).toBe('privateApp');
		}
	}
});
