/**
 * Composite Graph (`POST /composite/graph`): graphs of sObject subrequests, each graph one
 * transaction — its nodes run in order, `@{ref.field}` takes a value from an earlier node's
 * result, and the first failing node rolls back everything the graph stored. The documented
 * limits are enforced: 75 graphs, 500 nodes per request and per graph, depth 15, 15 different
 * node kinds (version × method × object), and after 14 failed graphs the rest are halted.
 */
import type { StoredRecord } from '../../core/store';
import type { VendorContext } from '../../core/types';
import { objectOf, planCreate, planUpdate, saveOne } from './collections';
import { SalesforceRequestError } from './errors';
import { canonicalId } from './ids';
import { fullView } from './values';

export const GRAPH_LIMITS = {
	graphs: 75,
	nodesPerRequest: 500,
	nodesPerGraph: 500,
	depth: 15,
	nodeKinds: 15,
	failedGraphs: 14,
} as const;

const GRAPH_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,38}$/;
const REFERENCE_ID = /^[A-Za-z0-9_]{1,80}$/;
const SOBJECT_URL =
	/^\/services\/data\/v(\d+\.\d)\/sobjects\/([A-Za-z][A-Za-z0-9_]*)(?:\/([A-Za-z0-9]+))?\/?$/;
/** `@{referenceId.field}` anywhere in a string value. */
const REFERENCE = /@\{([A-Za-z0-9_]+)\.([A-Za-z0-9_.]+)\}/g;

const ROLLED_BACK = [
	{
		errorCode: 'PROCESSING_HALTED',
		message:
			'The transaction was rolled back since another operation in the same transaction failed.',
	},
];
const HALTED = [
	{
		errorCode: 'PROCESSING_HALTED',
		message: `Processing halted: more than ${GRAPH_LIMITS.failedGraphs} graphs of this request failed.`,
	},
];

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

interface GraphNode {
	method: Method;
	url: string;
	version: string;
	type: string;
	id?: string;
	referenceId: string;
	body?: Record<string, unknown>;
}

interface Graph {
	graphId: string;
	nodes: GraphNode[];
}

export interface NodeResult {
	body: unknown;
	httpHeaders: Record<string, string>;
	httpStatusCode: number;
	referenceId: string;
}

export interface GraphResult {
	graphId: string;
	graphResponse: { compositeResponse: NodeResult[] };
	isSuccessful: boolean;
}

const invalid = (message: string) => new SalesforceRequestError(400, 'INVALID_INPUT', message);
const overLimit = (message: string) => new SalesforceRequestError(400, 'LIMIT_EXCEEDED', message);

function asObject(value: unknown, what: string): Record<string, unknown> {
	if (typeof value !== 'object' || value === null || Array.isArray(value))
		throw new SalesforceRequestError(400, 'JSON_PARSER_ERROR', `${what} must be a JSON object`);
	return value as Record<string, unknown>;
}

/** The references a value makes (`@{ref.id}`), anywhere in nested objects and arrays. */
function referencesIn(value: unknown, out: Set<string> = new Set()): Set<string> {
	if (typeof value === 'string') for (const match of value.matchAll(REFERENCE)) out.add(match[1]);
	else if (Array.isArray(value)) value.forEach((item) => referencesIn(item, out));
	else if (value && typeof value === 'object')
		Object.values(value).forEach((item) => referencesIn(item, out));
	return out;
}

function parseNode(raw: unknown, graphId: string): GraphNode {
	const input = asObject(raw, `A node of graph ${graphId}`);
	const method = String(input.method ?? '').toUpperCase();
	if (!['GET', 'POST', 'PATCH', 'DELETE'].includes(method))
		throw invalid(
			`Graph ${graphId}: method ${String(input.method)} is not supported in a composite graph`,
		);
	const url = typeof input.url === 'string' ? input.url : '';
	const match = SOBJECT_URL.exec(url);
	if (!match)
		throw invalid(
			`Graph ${graphId}: ${url || 'a node without url'} is not a supported composite graph URL (/services/data/vXX.X/sobjects/…)`,
		);
	const [, version, type, id] = match;
	if ((method === 'POST') !== (id === undefined))
		throw invalid(`Graph ${graphId}: ${method} ${url} is not supported in a composite graph`);
	const referenceId = input.referenceId;
	if (typeof referenceId !== 'string' || !REFERENCE_ID.test(referenceId))
		throw invalid(
			`Graph ${graphId}: referenceId ${String(referenceId)} must be letters, digits and underscores`,
		);
	const node: GraphNode = { method: method as Method, url, version, type, referenceId };
	if (id !== undefined) node.id = id;
	if (method === 'POST' || method === 'PATCH')
		node.body = asObject(input.body, `The body of node ${referenceId}`);
	return node;
}

/** Longest chain of references ending at each node (a node without references has depth 1). */
function checkDepth(graph: Graph): void {
	const depth = new Map<string, number>();
	for (const node of graph.nodes) {
		let deepest = 0;
		for (const reference of referencesIn(node.body)) {
			const earlier = depth.get(reference);
			if (earlier === undefined)
				throw invalid(
					`Graph ${graph.graphId}: node ${node.referenceId} refers to ${reference}, which is not an earlier node of the same graph`,
				);
			deepest = Math.max(deepest, earlier);
		}
		if (depth.has(node.referenceId))
			throw invalid(`Graph ${graph.graphId}: duplicate referenceId ${node.referenceId}`);
		depth.set(node.referenceId, deepest + 1);
		if (deepest + 1 > GRAPH_LIMITS.depth)
			throw overLimit(
				`Graph ${graph.graphId} is deeper than the maximum depth of ${GRAPH_LIMITS.depth}`,
			);
	}
}

/** The whole request's shape and limits; any problem refuses the request before anything is stored. */
export function parseGraphRequest(body: unknown): Graph[] {
	const input = asObject(body, 'The request body');
	if (!Array.isArray(input.graphs))
		throw new SalesforceRequestError(400, 'JSON_PARSER_ERROR', 'graphs is required');
	if (input.graphs.length > GRAPH_LIMITS.graphs)
		throw overLimit(
			`A composite graph request can contain at most ${GRAPH_LIMITS.graphs} graphs; this one has ${input.graphs.length}`,
		);
	const seen = new Set<string>();
	const graphs = input.graphs.map((raw): Graph => {
		const graph = asObject(raw, 'A graph');
		const graphId = graph.graphId;
		if (typeof graphId !== 'string' || !GRAPH_ID.test(graphId))
			throw invalid(
				`graphId ${String(graphId)} must start with a letter or digit and have fewer than 40 characters`,
			);
		if (seen.has(graphId)) throw invalid(`Duplicate graphId ${graphId}`);
		seen.add(graphId);
		if (!Array.isArray(graph.compositeRequest) || graph.compositeRequest.length === 0)
			throw invalid(`Graph ${graphId} needs a non-empty compositeRequest`);
		if (graph.compositeRequest.length > GRAPH_LIMITS.nodesPerGraph)
			throw overLimit(
				`Graph ${graphId} has ${graph.compositeRequest.length} nodes; a graph can have at most ${GRAPH_LIMITS.nodesPerGraph}`,
			);
		return { graphId, nodes: graph.compositeRequest.map((node) => parseNode(node, graphId)) };
	});
	const total = graphs.reduce((sum, graph) => sum + graph.nodes.length, 0);
	if (total > GRAPH_LIMITS.nodesPerRequest)
		throw overLimit(
			`A composite graph request can contain at most ${GRAPH_LIMITS.nodesPerRequest} nodes; this one has ${total}`,
		);
	const kinds = new Set(
		graphs.flatMap((graph) =>
			graph.nodes.map((node) => `${node.version} ${node.method} ${node.type.toLowerCase()}`),
		),
	);
	if (kinds.size > GRAPH_LIMITS.nodeKinds)
		throw overLimit(
			`A composite graph request can use at most ${GRAPH_LIMITS.nodeKinds} different nodes (version, method and object); this one uses ${kinds.size}`,
		);
	graphs.forEach(checkDepth);
	return graphs;
}

function valueAtPath(value: unknown, path: string): unknown {
	let current = value;
	for (const part of path.split('.')) {
		if (!current || typeof current !== 'object') return undefined;
		current = Object.entries(current as Record<string, unknown>).find(
			([key]) => key.toLowerCase() === part.toLowerCase(),
		)?.[1];
	}
	return current;
}

/** Replaces `@{ref.field}` with values from earlier results: a whole-string reference keeps the value's type. */
function resolve(value: unknown, results: Map<string, unknown>): unknown {
	if (typeof value === 'string') {
		const whole = /^@\{([A-Za-z0-9_]+)\.([A-Za-z0-9_.]+)\}$/.exec(value);
		if (whole) return valueAtPath(results.get(whole[1]), whole[2]) ?? null;
		return value.replace(REFERENCE, (_, reference: string, path: string) =>
			String(valueAtPath(results.get(reference), path) ?? ''),
		);
	}
	if (Array.isArray(value)) return value.map((item) => resolve(item, results));
	if (value && typeof value === 'object')
		return Object.fromEntries(
			Object.entries(value).map(([key, item]) => [key, resolve(item, results)]),
		);
	return value;
}

/** How to take back one stored change when the graph fails. */
type Undo = () => void;

function snapshot(record: StoredRecord): Undo {
	const fields = { ...record.fields };
	const updatedAt = record.updatedAt;
	return () => {
		record.fields = fields;
		record.updatedAt = updatedAt;
	};
}

function runNode(
	ctx: VendorContext,
	node: GraphNode,
	results: Map<string, unknown>,
	undo: Undo[],
): NodeResult {
	const object = objectOf({}, node.type);
	const base = { referenceId: node.referenceId, httpHeaders: {} };
	if (node.method === 'POST') {
		const id = saveOne(
			planCreate(ctx, object, resolve(node.body, results) as Record<string, unknown>),
		);
		undo.push(() => ctx.store.remove('salesforce', object.name, id, false));
		return {
			...base,
			body: { id, success: true, errors: [] },
			httpHeaders: { Location: `${node.url.replace(/\/$/, '')}/${id}` },
			httpStatusCode: 201,
		};
	}
	const id = canonicalId(node.id ?? '');
	const record = id ? ctx.store.get('salesforce', object.name, id) : undefined;
	if (!id || !record)
		throw new SalesforceRequestError(404, 'NOT_FOUND', 'The requested resource does not exist');
	if (node.method === 'GET')
		return { ...base, body: fullView(node.version, object, record), httpStatusCode: 200 };
	if (node.method === 'PATCH') {
		const restore = snapshot(record);
		saveOne(
			planUpdate(ctx, {
				...(resolve(node.body, results) as Record<string, unknown>),
				attributes: { type: object.name },
				Id: id,
			}),
		);
		undo.push(restore);
		return { ...base, body: null, httpStatusCode: 204 };
	}
	ctx.store.remove('salesforce', object.name, id);
	undo.push(() => ctx.store.insert('salesforce', object.name, id, record.fields, record.createdAt));
	return { ...base, body: null, httpStatusCode: 204 };
}

/** One graph as one transaction: every node, or nothing. */
function runGraph(ctx: VendorContext, graph: Graph): GraphResult {
	const undo: Undo[] = [];
	const results = new Map<string, unknown>();
	const answers: NodeResult[] = [];
	for (const node of graph.nodes) {
		try {
			const answer = runNode(ctx, node, results, undo);
			results.set(node.referenceId, answer.body);
			answers.push(answer);
		} catch (error) {
			if (!(error instanceof SalesforceRequestError)) throw error;
			for (const step of undo.reverse()) step();
			const compositeResponse = graph.nodes.map((other): NodeResult =>
				other === node
					? {
							body: error.body(),
							httpHeaders: {},
							httpStatusCode: error.status,
							referenceId: other.referenceId,
						}
					: {
							body: ROLLED_BACK,
							httpHeaders: {},
							httpStatusCode: 400,
							referenceId: other.referenceId,
						},
			);
			return { graphId: graph.graphId, graphResponse: { compositeResponse }, isSuccessful: false };
		}
	}
	return {
		graphId: graph.graphId,
		graphResponse: { compositeResponse: answers },
		isSuccessful: true,
	};
}

export function runCompositeGraph(ctx: VendorContext, body: unknown): { graphs: GraphResult[] } {
	const graphs = parseGraphRequest(body);
	let failures = 0;
	return {
		graphs: graphs.map((graph) => {
			if (failures > GRAPH_LIMITS.failedGraphs) {
				const compositeResponse = graph.nodes.map((node) => ({
					body: HALTED,
					httpHeaders: {},
					httpStatusCode: 400,
					referenceId: node.referenceId,
				}));
				return {
					graphId: graph.graphId,
					graphResponse: { compositeResponse },
					isSuccessful: false,
				};
			}
			const result = runGraph(ctx, graph);
			if (!result.isSuccessful) failures += 1;
			return result;
		}),
	};
}
