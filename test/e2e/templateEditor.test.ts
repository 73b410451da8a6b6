/**
 * The editor check, in a real n8n with every template imported as a user imports it: for each
 * Field Merge node, the fields n8n's editor loads for its resource mapper (the internal
 * /rest/dynamic-node-parameters/resource-mapper-fields call, answered by the node's own
 * method against the sandbox's standard org) are exactly the columns the template ships in
 * its `schema`, and the ones shown are exactly the mapped ones — no mapped value hidden, no
 * empty field shown, nothing for the editor to add, drop or rewrite on first open.
 */
import type { ResourceMapperField } from 'n8n-workflow';

import { restCall } from '../../scripts/runtime/n8nApi';
import { startE2eStack, STACK_START_TIMEOUT_MS, type E2eStack } from './harness';

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
	const answer = await restCall<{ fields: ResourceMapperField[] }>(stack.session, 'POST', '/dynamic-node-parameters/resource-mapper-fields', {
		path: 'parameters.fields',
		nodeTypeAndVersion: { name: node.type, version: node.typeVersion },
		currentNodeParameters: node.parameters,
		methodName: 'getMergeFields',
		credentials: node.credentials,
		workflowId,
	});
	return answer.fields;
}

const withoutRemoved = (schema: ResourceMapperField[]): ResourceMapperField[] => schema.map(({ removed: _removed, ...column }) => column);

test('every Field Merge node of every template shows exactly its mapped fields, and its schema is what the editor loads from the CRM', async () => {
	const checked: string[] = [];
	for (const imported of stack.workflows) {
		const saved = await stack.api.request<{ nodes: SavedNode[] }>('GET', `/workflows/${imported.id}`);
		for (const node of saved.nodes.filter((candidate) => candidate.type === FIELD_MERGE)) {
			const where = `${imported.file} / ${node.name}`;
			const fields = node.parameters.fields!;
			expect({ where, mode: fields.mappingMode }).toEqual({ where, mode: 'defineBelow' });

			// The editor's columns are the shipped schema, column for column (type, options, display, …).
			const loaded = await editorFields(imported.id, node);
			expect(loaded.length).toBeGreaterThan(0);
			expect({ where, schema: withoutRemoved(fields.schema) }).toEqual({ where, schema: loaded });

			// Shown = mapped: every mapped value has a visible column, every visible column a value.
			const mapped = Object.keys(fields.value).sort();
			const shown = fields.schema.filter((column) => column.removed !== true).map((column) => column.id).sort();
			expect({ where, shown }).toEqual({ where, shown: mapped });
			expect(mapped.length).toBeGreaterThan(0);
			const hiddenButMapped = fields.schema.filter((column) => column.removed === true && column.id in fields.value).map((column) => column.id);
			expect({ where, hiddenButMapped }).toEqual({ where, hiddenButMapped: [] });
			// A mapped column the editor cannot show (read-only, not displayable) would be lost on first save.
			const notDisplayable = mapped.filter((id) => loaded.find((column) => column.id === id)?.display !== true);
			expect({ where, notDisplayable }).toEqual({ where, notDisplayable: [] });
			checked.push(where);
		}
	}
	console.log(`editor check: ${checked.length} Field Merge nodes\n${checked.join('\n')}`);
	// post-call analysis (1), qualified lead sync (4), scheduled updates (4).
	expect(checked).toHaveLength(9);
});
