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
	disabled?: boolean;
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
	built = new Map(
		[...(await buildTemplates())].map(([file, workflow]) => [file, templateText(workflow)]),
	);
	const files = (await readdir(TEMPLATES_DIR)).filter((file) => file.endsWith('.json')).sort();
	shipped = new Map(
		await Promise.all(
			files.map(
				async (file) =>
					[file, await readFile(join(TEMPLATES_DIR, file), 'utf8')] as [string, string],
			),
		),
	);
}, 60_000);

const nodesOf = (file: string): TemplateNode[] =>
	(JSON.parse(shipped.get(file)!) as { nodes: TemplateNode[] }).nodes;

test('every shipped template is the builder output (rebuild with: npx tsx scripts/templates/build.ts)', () => {
	expect([...shipped.keys()]).toEqual([...built.keys()].sort());
	for (const [file, text] of built)
		expect({ file, same: shipped.get(file) === text }).toEqual({ file, same: true });
});

test('each Field Merge node shows exactly its mapped fields in the editor, each one a writable standard field', () => {
	let merges = 0;
	for (const file of shipped.keys()) {
		for (const node of nodesOf(file).filter((candidate) =>
			candidate.type.endsWith('.crmContactFieldMerge'),
		)) {
			merges++;
			const fields = node.parameters.fields as MapperValue;
			const mapped = Object.keys(fields.value).sort();
			const shown = fields.schema
				.filter((column) => column.removed !== true)
				.map((column) => column.id)
				.sort();
			expect({ file, node: node.name, shown }).toEqual({ file, node: node.name, shown: mapped });
			expect(mapped.length).toBeGreaterThan(0);
			for (const id of mapped)
				expect({
					node: node.name,
					id,
					display: fields.schema.find((column) => column.id === id)?.display,
				}).toEqual({ node: node.name, id, display: true });
		}
	}
	expect(merges).toBeGreaterThan(0);
});

test('no template carries a credential id or writes a demo-only HubSpot property', () => {
	for (const [file, text] of shipped) {
		for (const node of nodesOf(file)) {
			for (const credential of Object.values(node.credentials ?? {}))
				expect({ file, node: node.name, id: credential.id }).toEqual({
					file,
					node: node.name,
					id: undefined,
				});
		}
		for (const property of DEMO_ONLY_PROPERTIES)
			expect({ file, property, used: text.includes(property) }).toEqual({
				file,
				property,
				used: false,
			});
	}
});

test('a node needing a credential beyond the CRMs and the webhook secret ships disabled: n8n refuses to activate a workflow whose enabled node lacks its credential', () => {
	const required = (type: string) => type === 'httpHeaderAuth' || type.startsWith('crmSync');
	const optional: string[] = [];
	for (const file of shipped.keys())
		for (const node of nodesOf(file)) {
			const extra = Object.keys(node.credentials ?? {}).filter((type) => !required(type));
			if (extra.length === 0) continue;
			optional.push(`${file}: ${node.name}`);
			expect({ file, node: node.name, extra, disabled: node.disabled }).toEqual({
				file,
				node: node.name,
				extra,
				disabled: true,
			});
		}
	// The qualified-lead template's e-mail notification is one of them; the check is not empty.
	expect(optional).toContain('qualified-lead-sync.json: Notify the team (e-mail)');
});

test('each one-CRM template lists, in its "Credentials and CRM" note, exactly the nodes to switch for another CRM', () => {
	const oneCrm = [
		'call-processed-to-crm.json',
		'call-processed-to-crm-meetings.json',
		'post-call-analysis-to-crm.json',
	];
	for (const file of oneCrm) {
		const nodes = nodesOf(file);
		const crmNodes = nodes.filter((node) => typeof node.parameters.crm === 'string');
		expect({ file, crms: [...new Set(crmNodes.map((node) => node.parameters.crm))] }).toEqual({
			file,
			crms: ['hubspot'],
		});
		const note = nodes.find((node) => node.name === 'Credentials and CRM');
		const content = String(note?.parameters.content ?? '');
		const listed = [...content.matchAll(/^- \*\*(.+)\*\*$/gm)].map((match) => match[1]).sort();
		expect({ file, listed }).toEqual({ file, listed: crmNodes.map((node) => node.name).sort() });
		expect(content).toContain(`in each of these ${crmNodes.length} nodes`);
	}
});

/** The pack's node descriptions by the type name a template uses. */
const PACK_NODES = new Map<string, INodeTypeDescription>(
	[
		AutochatCrmTrigger,
		CrmActionItemsToTasks,
		CrmContactFieldMerge,
		CrmContactLookup,
		CrmLink,
		CrmMeetingWriter,
		CrmNoteRouter,
		CrmQualificationGate,
		CrmSyncTrigger,
	]
		.map((NodeType) => new NodeType().description)
		.map((description) => [`n8n-nodes-crm-sync.${description.name}`, description]),
);

/** Paths of parameters that take no expression but hold one (n8n strips the `=` and the node reads the raw text). */
function expressionsInFixedParameters(
	properties: INodeProperties[],
	values: Record<string, unknown> | undefined,
	path = '',
): string[] {
	const found: string[] = [];
	for (const property of properties) {
		const value = values?.[property.name];
		if (value === undefined) continue;
		if (property.noDataExpression === true && typeof value === 'string' && value.startsWith('='))
			found.push(path + property.name);
		if (
			property.type === 'collection' &&
			property.options &&
			typeof value === 'object' &&
			value !== null
		)
			found.push(
				...expressionsInFixedParameters(
					property.options as INodeProperties[],
					value as Record<string, unknown>,
					`${path}${property.name}.`,
				),
			);
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
			expect({
				file,
				node: node.name,
				fixed: expressionsInFixedParameters(description.properties, node.parameters),
			}).toEqual({ file, node: node.name, fixed: [] });
		}
	}
	expect(packNodes).toBeGreaterThan(20);
});

interface TemplateWorkflow {
	nodes: TemplateNode[];
	connections: Record<string, { main?: Array<Array<{ node: string }> | null> }>;
}

const CRM_NAMES = ['hubspot', 'salesforce', 'dynamics', 'autochat'];
/** Pack nodes that only read from a CRM (a template of only these needs no per-CRM write switch; switching a CRM off there means deactivating the workflow). */
const READ_ONLY_TYPES = new Set([
	'n8n-nodes-crm-sync.crmSyncTrigger',
	'n8n-nodes-crm-sync.autochatCrmTrigger',
	'n8n-nodes-crm-sync.crmContactLookup',
]);

/** The CRM an If node switches on, when it is a `sync_to_…` switch of Settings (its true output lets the CRM's items through). */
function switchedCrm(node: TemplateNode, byName: Map<string, TemplateNode>): string | undefined {
	if (node.type !== 'n8n-nodes-base.if') return undefined;
	const conditions = (node.parameters.conditions as { conditions: Array<{ leftValue: string }> })
		.conditions;
	if (conditions.length !== 1) return undefined;
	const condition = conditions[0].leftValue;
	const fixed = /^=\{\{ \$\('Settings'\)\.first\(\)\.json\.sync_to_(\w+) === true \}\}$/.exec(
		condition,
	);
	if (fixed) return fixed[1];
	// The one-CRM form: the switch of the CRM the named node is set to.
	const dynamic =
		/^=\{\{ \$\('Settings'\)\.first\(\)\.json\['sync_to_' \+ \$\('([^']+)'\)\.params\.crm\] === true \}\}$/.exec(
			condition,
		);
	return dynamic ? (byName.get(dynamic[1])?.parameters.crm as string | undefined) : undefined;
}

test('every template that writes to a CRM switches each CRM off with one Settings field: no path reaches a CRM node but through its switch', () => {
	let writing = 0;
	for (const [file, text] of shipped) {
		const workflow = JSON.parse(text) as TemplateWorkflow;
		const byName = new Map(workflow.nodes.map((node) => [node.name, node]));
		const writers = workflow.nodes.filter(
			(node) => typeof node.parameters.crm === 'string' && !READ_ONLY_TYPES.has(node.type),
		);
		if (writers.length === 0) continue;
		writing++;
		const settings = byName.get('Settings');
		const assignments =
			(
				settings?.parameters.assignments as
					{ assignments: Array<{ name: string; value: unknown; type: string }> } | undefined
			)?.assignments ?? [];
		const switches = assignments
			.filter((entry) => entry.name.startsWith('sync_to_'))
			.map(({ name, value, type }) => ({ name, value, type }));
		expect({ file, switches }).toEqual({
			file,
			switches: CRM_NAMES.map((crm) => ({ name: `sync_to_${crm}`, value: true, type: 'boolean' })),
		});

		const targets = new Set(
			workflow.nodes.flatMap((node) =>
				Object.values(workflow.connections[node.name]?.main ?? []).flatMap((output) =>
					(output ?? []).map((edge) => edge.node),
				),
			),
		);
		const starts = workflow.nodes
			.filter((node) => !targets.has(node.name) && !node.type.endsWith('stickyNote'))
			.map((node) => node.name);
		for (const crm of CRM_NAMES) {
			// Everything reachable from the triggers without passing the true output of this CRM's switch.
			const reached = new Set(starts);
			const queue = [...starts];
			while (queue.length > 0) {
				const name = queue.shift()!;
				const outputs = workflow.connections[name]?.main ?? [];
				outputs.forEach((output, index) => {
					if (index === 0 && switchedCrm(byName.get(name)!, byName) === crm) return;
					for (const edge of output ?? []) {
						if (reached.has(edge.node)) continue;
						reached.add(edge.node);
						queue.push(edge.node);
					}
				});
			}
			const unswitched = writers
				.filter((node) => node.parameters.crm === crm && reached.has(node.name))
				.map((node) => node.name);
			expect({ file, crm, unswitched }).toEqual({ file, crm, unswitched: [] });
		}
	}
	// call processed (2), post-call analysis, qualified lead sync, scheduled updates, autoch.at clients,
	// HubSpot ↔ Salesforce sync.
	expect(writing).toBe(7);
});
