/**
 * The editor check, in a real n8n with every template imported as a user imports it: for each
 * Field Merge node, the fields n8n's editor loads for its resource mapper (the internal
 * /rest/dynamic-node-parameters/resource-mapper-fields call, answered by the node's own
 * method against the sandbox's standard org) are exactly the columns the template ships in
 * its `schema`, and the ones shown are exactly the mapped ones — no mapped value hidden, no
 * empty field shown, nothing for the editor to add, drop or rewrite on first open; saving the
 * workflow again through the editor's own endpoint keeps every mapped expression and the schema.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { ResourceMapperField } from 'n8n-workflow';

import { restCall } from '../../scripts/runtime/n8nApi';
import { REPO_ROOT, startE2eStack, STACK_START_TIMEOUT_MS, type E2eStack } from './harness';

let stack: E2eStack;

beforeAll(async () => {
	stack = await startE2eStack();
}, STACK_START_TIMEOUT_MS);

afterAll(async () => {
	await stack?.teardown();
});

interface MapperValue {
	mappingMode: string;
	value: Record<string, unknown>;
	schema: ResourceMapperField[];
}

interface SavedNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown> & { fields?: MapperValue };
	credentials?: Record<string, { id: string; name: string }>;
}

const FIELD_MERGE = 'n8n-nodes-crm-sync.crmContactFieldMerge';

/** What the editor receives when it loads the node's mapper fields. */
async function editorFields(workflowId: string, node: SavedNode): Promise<ResourceMapperField[]> {
	const answer = await restCall<{ fields: ResourceMapperField[] }>(
		stack.session,
		'POST',
		'/dynamic-node-parameters/resource-mapper-fields',
		{
			path: 'parameters.fields',
			nodeTypeAndVersion: { name: node.type, version: node.typeVersion },
			currentNodeParameters: node.parameters,
			methodName: 'getMergeFields',
			credentials: node.credentials,
			workflowId,
		},
	);
	return answer.fields;
}

/** The columns without their shown/hidden flag (the node's method lists every field hidden; the template shows the mapped ones). */
const withoutRemoved = (schema: ResourceMapperField[]): ResourceMapperField[] =>
	schema.map(({ removed: _removed, ...column }) => column);

interface EditorWorkflow {
	name: string;
	nodes: SavedNode[];
	connections: unknown;
	settings?: unknown;
	versionId: string;
}

/** The Field Merge nodes' mapper values as the editor loads them. */
async function mergeFieldsInEditor(workflowId: string): Promise<Record<string, MapperValue>> {
	const workflow = await restCall<EditorWorkflow>(stack.session, 'GET', `/workflows/${workflowId}`);
	return Object.fromEntries(
		workflow.nodes
			.filter((node) => node.type === FIELD_MERGE)
			.map((node) => [node.name, node.parameters.fields!]),
	);
}

test('every Field Merge node of every template shows exactly its mapped fields, and its schema is what the editor loads from the CRM', async () => {
	const checked: string[] = [];
	for (const imported of stack.workflows) {
		const saved = await stack.api.request<{ nodes: SavedNode[] }>(
			'GET',
			`/workflows/${imported.id}`,
		);
		for (const node of saved.nodes.filter((candidate) => candidate.type === FIELD_MERGE)) {
			const where = `${imported.file} / ${node.name}`;
			const fields = node.parameters.fields!;
			expect({ where, mode: fields.mappingMode }).toEqual({ where, mode: 'defineBelow' });

			// The editor's columns are the shipped schema, column for column (type, options, display, …).
			const loaded = await editorFields(imported.id, node);
			expect(loaded.length).toBeGreaterThan(0);
			expect({ where, schema: withoutRemoved(fields.schema) }).toEqual({
				where,
				schema: withoutRemoved(loaded),
			});

			// Shown = mapped: every mapped value has a visible column, every visible column a value.
			const mapped = Object.keys(fields.value).sort();
			const shown = fields.schema
				.filter((column) => column.removed !== true)
				.map((column) => column.id)
				.sort();
			expect({ where, shown }).toEqual({ where, shown: mapped });
			expect(mapped.length).toBeGreaterThan(0);
			const hiddenButMapped = fields.schema
				.filter((column) => column.removed === true && column.id in fields.value)
				.map((column) => column.id);
			expect({ where, hiddenButMapped }).toEqual({ where, hiddenButMapped: [] });
			// A mapped column the editor cannot show (read-only, not displayable) would be lost on first save.
			const notDisplayable = mapped.filter(
				(id) => loaded.find((column) => column.id === id)?.display !== true,
			);
			expect({ where, notDisplayable }).toEqual({ where, notDisplayable: [] });
			checked.push(where);
		}
	}
	console.log(`editor check: ${checked.length} Field Merge nodes\n${checked.join('\n')}`);
	// autoch.at client sync (3), post-call analysis (1), qualified lead sync (4), scheduled updates (4),
	// HubSpot ↔ Salesforce sync (1).
	expect(checked).toHaveLength(13);
});

test("saving a template again in the editor keeps every Field Merge node's mapped expressions and schema", async () => {
	let resaved = 0;
	for (const imported of stack.workflows) {
		const before = await mergeFieldsInEditor(imported.id);
		if (Object.keys(before).length === 0) continue;
		const workflow = await restCall<EditorWorkflow>(
			stack.session,
			'GET',
			`/workflows/${imported.id}`,
		);
		// What the editor's Save sends: the workflow as it opened, with its version for the conflict check.
		await restCall(stack.session, 'PATCH', `/workflows/${imported.id}`, {
			name: workflow.name,
			nodes: workflow.nodes,
			connections: workflow.connections,
			settings: workflow.settings,
			versionId: workflow.versionId,
		});
		const after = await mergeFieldsInEditor(imported.id);
		expect({ file: imported.file, fields: after }).toEqual({ file: imported.file, fields: before });
		// …and both are the file as shipped, value for value and column for column.
		const shipped = JSON.parse(
			await readFile(join(REPO_ROOT, 'workflows-templates', imported.file), 'utf8'),
		) as { nodes: SavedNode[] };
		const asShipped = Object.fromEntries(
			shipped.nodes
				.filter((node) => node.type === FIELD_MERGE)
				.map((node) => [node.name, node.parameters.fields!]),
		);
		expect({ file: imported.file, fields: after }).toEqual({
			file: imported.file,
			fields: asShipped,
		});
		for (const [node, fields] of Object.entries(after)) {
			const expressions = Object.entries(fields.value).filter(
				([, value]) => typeof value === 'string' && value.startsWith('='),
			);
			expect({ file: imported.file, node, expressions: expressions.length > 0 }).toEqual({
				file: imported.file,
				node,
				expressions: true,
			});
		}
		resaved++;
	}
	// The five templates with Field Merge nodes.
	expect(resaved).toBe(5);
});
