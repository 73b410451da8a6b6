/**
 * Composite Graph (`POST /composite/graph`): many graphs in one request, each graph
 * all-or-nothing (a graph that fails leaves none of its records stored), the whole request
 * one API call. Documented limits: 75 graphs and 500 nodes per request, 500 nodes per graph.
 *
 * A request whose answer is lost (500, reset, timeout) is looked up before anything is sent
 * again: nothing found ⇒ sent again (not after a timeout: the transport's rule); some graphs
 * found ⇒ those stand in for the lost answer and the others stay uncertain, because graphs
 * are separate transactions and a request that timed out may still be storing them.
 */
import type { CrmErrorInfo, KeyLookupResult, WriteResult } from '../CrmProvider';
import { CrmRequestError, failureInfoOf } from '../../transport/errors';
import type { VerifyOutcome } from '../../transport/types';
import type { SalesforceApi } from './api';

export interface GraphLimits {
	graphsPerRequest: number;
	nodesPerRequest: number;
	nodesPerGraph: number;
}

export const GRAPH_LIMITS: GraphLimits = {
	graphsPerRequest: 75,
	nodesPerRequest: 500,
	nodesPerGraph: 500,
};

export interface GraphNode {
	method: 'POST';
	/** `/services/data/vXX.X/sobjects/<Type>` */
	url: string;
	/** Letters, digits and underscores; `@{<referenceId>.id}` in a later node's body is this node's new id. */
	referenceId: string;
	body: Record<string, unknown>;
}

export interface Graph {
	graphId: string;
	compositeRequest: GraphNode[];
}

/** A graph and how to read its result. */
export interface PlannedGraph {
	graph: Graph;
	/** The node whose new record id is the write's id (the note). */
	primary: string;
	/** What each node writes, by referenceId, for error messages ("the link to 003…"). */
	labels: Record<string, string>;
}

/** Whether each graph's records exist, by a lookup that sees a write at once; aligned with the graphs. */
export type GraphLookup = (graphs: PlannedGraph[]) => Promise<KeyLookupResult[]>;

interface NodeResult {
	body?: unknown;
	httpStatusCode?: number;
	referenceId?: string;
}

interface GraphResult {
	graphId?: string;
	isSuccessful?: boolean;
	graphResponse?: { compositeResponse?: NodeResult[] };
}

interface GraphResponse {
	graphs?: GraphResult[];
}

/** The code of every other node of a graph that failed, and of graphs left unprocessed. */
const HALTED = 'PROCESSING_HALTED';

/**
 * Requests for graphs of the given node counts, in order, within the limits. A graph too
 * big for any request is listed in `oversized` and sent nowhere.
 */
export function packGraphs(
	sizes: readonly number[],
	limits: GraphLimits = GRAPH_LIMITS,
): { requests: number[][]; oversized: number[] } {
	const requests: number[][] = [];
	const oversized: number[] = [];
	let current: number[] = [];
	let nodes = 0;
	sizes.forEach((size, index) => {
		if (size > limits.nodesPerGraph || size > limits.nodesPerRequest) {
			oversized.push(index);
			return;
		}
		if (current.length === limits.graphsPerRequest || nodes + size > limits.nodesPerRequest) {
			requests.push(current);
			current = [];
			nodes = 0;
		}
		current.push(index);
		nodes += size;
	});
	if (current.length > 0) requests.push(current);
	return { requests, oversized };
}

/**
 * Whether one-node graphs for `records` Tasks/Events added to the notes' graph requests take
 * fewer (or as many) calls than the notes' graph requests plus collection calls of
 * `collectionSize` records. Small batches — a processed call's note and its tasks — go
 * together in one call; large ones may not, since a graph request holds fewer graphs.
 */
export function fewerRequestsTogether(
	noteGraphSizes: readonly number[],
	records: number,
	collectionSize: number,
	limits: GraphLimits = GRAPH_LIMITS,
): boolean {
	const together = packGraphs([...noteGraphSizes, ...new Array<number>(records).fill(1)], limits);
	const apart =
		packGraphs(noteGraphSizes, limits).requests.length + Math.ceil(records / collectionSize);
	return together.requests.length <= apart;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A node's errors: `[{ errorCode, message }]`, or a save result's `errors: [{ statusCode, message }]`. */
function nodeErrors(body: unknown): Array<{ code?: string; message?: string }> {
	const list = Array.isArray(body)
		? body
		: isObject(body) && Array.isArray(body.errors)
			? body.errors
			: [];
	return list.filter(isObject).map((error) => ({
		code:
			typeof error.errorCode === 'string'
				? error.errorCode
				: typeof error.statusCode === 'string'
					? error.statusCode
					: undefined,
		message: typeof error.message === 'string' ? error.message : undefined,
	}));
}

function uncertain(message: string): WriteResult {
	return { ok: false, error: { message, uncertain: true } };
}

/** One graph's answer as the write's result. */
export function graphOutcome(planned: PlannedGraph, result: GraphResult | undefined): WriteResult {
	if (!result)
		return uncertain(
			'Salesforce answered without a result for this write; it may or may not be stored',
		);
	const nodes = result.graphResponse?.compositeResponse ?? [];
	if (result.isSuccessful === true) {
		const body = nodes.find((node) => node.referenceId === planned.primary)?.body;
		const id = isObject(body) && typeof body.id === 'string' ? body.id : undefined;
		return id
			? { ok: true, id, created: true }
			: uncertain('Salesforce reported this write stored but returned no id for it');
	}
	for (const node of nodes) {
		const errors = nodeErrors(node.body).filter((error) => error.code !== HALTED);
		if (errors.length === 0) continue;
		const what = planned.labels[node.referenceId ?? ''] ?? 'a record of this write';
		const reasons = errors
			.map((error) => error.message ?? error.code ?? 'no reason given')
			.join('; ');
		const info: CrmErrorInfo = {
			message: `Salesforce rejected ${what}, so none of this write was stored: ${reasons}`,
		};
		if (errors[0].code) info.code = errors[0].code;
		if (node.httpStatusCode !== undefined) info.status = node.httpStatusCode;
		return { ok: false, error: info };
	}
	return {
		ok: false,
		error: {
			code: HALTED,
			message:
				'Salesforce did not process this write because too many other writes of the same request failed; nothing of it was stored',
		},
	};
}

function failureOf(error: unknown): CrmErrorInfo {
	if (error instanceof CrmRequestError) return failureInfoOf(error);
	throw error;
}

async function sendRequest(
	api: SalesforceApi,
	slice: PlannedGraph[],
	lookup: GraphLookup,
): Promise<WriteResult[]> {
	// Filled by a verify that found some of the graphs: their results replace the lost answer.
	let recovered: WriteResult[] | undefined;
	const verify = async (): Promise<VerifyOutcome<GraphResponse>> => {
		const found = await lookup(slice);
		if (found.every((result) => result.status === 'absent')) return { status: 'not-done' };
		if (!found.some((result) => result.status === 'found')) {
			const reasons = [
				...new Set(found.flatMap((result) => (result.status === 'unknown' ? [result.reason] : []))),
			];
			return { status: 'unknown', reason: reasons.join('; ') };
		}
		recovered = found.map((result): WriteResult => {
			if (result.status === 'found') return { ok: true, id: result.id, created: true };
			const why =
				result.status === 'unknown'
					? result.reason
					: 'it was not found, and Salesforce may still be storing it';
			return uncertain(
				`The answer was lost; other writes of the same request were stored, but for this one ${why}`,
			);
		});
		return { status: 'done', value: {} };
	};
	try {
		const answer = await api.send<GraphResponse>(
			{
				method: 'POST',
				path: '/composite/graph',
				body: { graphs: slice.map((planned) => planned.graph) },
			},
			{ label: 'POST /composite/graph', idempotent: false, verify },
		);
		if (recovered) return recovered;
		const byId = new Map((answer?.graphs ?? []).map((result) => [result.graphId, result]));
		return slice.map((planned) => graphOutcome(planned, byId.get(planned.graph.graphId)));
	} catch (error) {
		const failure = failureOf(error);
		return slice.map(() => ({ ok: false, error: failure }));
	}
}

/** Sends the graphs in as few requests as the limits allow; one result per graph, in order. */
export async function writeGraphs(
	api: SalesforceApi,
	planned: PlannedGraph[],
	lookup: GraphLookup,
	limits: GraphLimits = GRAPH_LIMITS,
): Promise<WriteResult[]> {
	const results = new Array<WriteResult>(planned.length);
	const { requests, oversized } = packGraphs(
		planned.map((p) => p.graph.compositeRequest.length),
		limits,
	);
	for (const index of oversized) {
		results[index] = {
			ok: false,
			error: {
				code: 'LIMIT_EXCEEDED',
				message: `This write needs ${planned[index].graph.compositeRequest.length} records stored together; Salesforce stores at most ${Math.min(limits.nodesPerGraph, limits.nodesPerRequest)} together`,
			},
		};
	}
	await Promise.all(
		requests.map(async (indices) => {
			const answers = await sendRequest(
				api,
				indices.map((index) => planned[index]),
				lookup,
			);
			answers.forEach((answer, j) => (results[indices[j]] = answer));
		}),
	);
	return results;
}
