/**
 * The shipped workflows-templates/*.json are exactly what the builder in scripts/templates
 * makes (a hand edit or a forgotten rebuild fails here), and what a user opens in the editor
 * holds: every Field Merge node's resource-mapper schema shows exactly its mapped fields, no
 * template carries a credential id, and none writes a field only the demo sandbox has.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { AutochatCrmTrigger } from '../../nodes/AutochatCrmTrigger/AutochatCrmTrigger.node';
import { CrmActionItemsToTasks } from '../../nodes/CrmActionItemsToTasks/CrmActionItemsToTasks.node';
import { CrmContactFieldMerge } from '../../nodes/CrmContactFieldMerge/CrmContactFieldMerge.node';
import { CrmContactLookup } from '../../nodes/CrmContactLookup/CrmContactLookup.node';
import { CrmLink } from '../../nodes/CrmLink/CrmLink.node';
import { CrmMeetingWriter } from '../../nodes/CrmMeetingWriter/CrmMeetingWriter.node';
import { CrmNoteRouter } from '../../nodes/CrmNoteRouter/CrmNoteRouter.node';
import { CrmQualificationGate } from '../../nodes/CrmQualificationGate/CrmQualificationGate.node';
import { CrmSyncTrigger } from '../../nodes/CrmSyncTrigger/CrmSyncTrigger.node';
import { buildTemplates, TEMPLATES_DIR, templateText } from '../../scripts/templates/build';

interface TemplateNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id?: string; name?: string }>;
}

interface MapperValue {
	value: Record<string, unknown>;
	schema: Array<{ id: string; display: boolean; removed?: boolean }>;
}

/** HubSpot properties the demo sandbox adds; a real portal answers "unknown property". */
const DEMO_ONLY_PROPERTIES = ['last_call_summary', 'annual_budget', 'decision_maker'];

let built: Map<string, string>;
let shipped: Map<string, string>;

beforeAll(async () => {
	built = new Map([...(await buildTemplates())].map(([file, workflow]) => [file, templateText(workflow)]));
	const files = (await readdir(TEMPLATES_DIR)).filter((file) => file.endsWith('.json')).sort();
	shipped = new Map(await Promise.all(files.map(async (file) => [file, await readFile(join(TEMPLATES_DIR, file), 'utf8')] as [string, string])));
}, 60_000);

const nodesOf = (file: string): TemplateNode[] => (JSON.parse(shipped.get(file)!) as { nodes: TemplateNode[] }).nodes;

test('every shipped template is the builder output (rebuild with: npx tsx scripts/templates/build.ts)', () => {
	expect([...shipped.keys()]).toEqual([...built.keys()].sort());
	for (const [file, text] of built) expect({ file, same: shipped.get(file) === text }).toEqual({ file, same: true });
});

test('each Field Merge node shows exactly its mapped fields in the editor, each one a writable standard field', () => {
	let merges = 0;
	for (const file of shipped.keys()) {
		for (const node of nodesOf(file).filter((candidate) => candidate.type.endsWith('.crmContactFieldMerge'))) {
			merges++;
			const fields = node.parameters.fields as MapperValue;
			const mapped = Object.keys(fields.value).sort();
			const shown = fields.schema.filter((column) => column.removed !== true).map((column) => column.id).sort();
			expect({ file, node: node.name, shown }).toEqual({ file, node: node.name, shown: mapped });
			expect(mapped.length).toBeGreaterThan(0);
			for (const id of mapped) expect({ node: node.name, id, display: fields.schema.find((column) => column.id === id)?.display }).toEqual({ node: node.name, id, display: true });
		}
	}
	expect(merges).toBeGreaterThan(0);
});

test('no template carries a credential id or writes a demo-only HubSpot property', () => {
	for (const [file, text] of shipped) {
		for (const node of nodesOf(file)) {
			for (const credential of Object.values(node.credentials ?? {})) expect({ file, node: node.name, id: credential.id }).toEqual({ file, node: node.name, id: undefined });
		}
		for (const property of DEMO_ONLY_PROPERTIES) expect({ file, property, used: text.includes(property) }).toEqual({ file, property, used: false });
	}
});

/** The pack's node descriptions by the type name a template uses. */
const PACK_NODES = new Map<string, INodeTypeDescription>(
	[AutochatCrmTrigger, CrmActionItemsToTasks, CrmContactFieldMerge, CrmContactLookup, CrmLink, CrmMeetingWriter, CrmNoteRouter, CrmQualificationGate, CrmSyncTrigger]
		.map((NodeType) => new NodeType().description)
		.map((description) => [`n8n-nodes-crm-sync.${description.name}`, description]),
);

/** Paths of parameters that take no expression but hold one (n8n strips the `=` and the node reads the raw text). */
function expressionsInFixedParameters(properties: INodeProperties[], values: Record<string, unknown> | undefined, path = ''): string[] {
	const found: string[] = [];
	for (const property of properties) {
		const value = values?.[property.name];
		if (value === undefined) continue;
		if (property.noDataExpression === true && typeof value === 'string' && value.startsWith('=')) found.push(path + property.name);
		if (property.type === 'collection' && property.options && typeof value === 'object' && value !== null)
			found.push(...expressionsInFixedParameters(property.options as INodeProperties[], value as Record<string, unknown>, `${path}${property.name}.`));
	}
	return found;
}

test('no template puts an expression in a parameter that takes none', () => {
	let packNodes = 0;
	for (const file of shipped.keys()) {
		for (const node of nodesOf(file)) {
			const description = PACK_NODES.get(node.type);
			if (!description) continue;
			packNodes++;
			expect({ file, node: node.name, fixed: expressionsInFixedParameters(description.properties, node.parameters) }).toEqual({ file, node: node.name, fixed: [] });
		}
	}
	expect(packNodes).toBeGreaterThan(20);
});
