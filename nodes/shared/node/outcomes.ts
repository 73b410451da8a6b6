/**
 * Collects per-item results and turns them into n8n outputs. Failed items carry their
 * NodeApiError/NodeOperationError on `error`, so n8n's error output (or "continue") gets
 * them with paired items intact; without continue-on-fail the first error stops the node.
 *
 * Every failed item also carries its classification (see failureKind.ts) as plain fields,
 * so a workflow can answer or branch without reading the message:
 * `errorKind`, `httpStatus`, `errorReason`, `errorItem`, and when known `errorCrm`,
 * `errorField`, `retryAfterSeconds`.
 */
import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { classifyFailure, crmFailureMarks, markFailure, type FailureClassification } from './failureKind';
import { toNodeError } from '../transport/nodeErrors';

export type NodeError = NodeApiError | NodeOperationError;

/** The classification as item fields (absent values left out, so they never show as null). */
export function failureFields(itemIndex: number, classification: FailureClassification): IDataObject {
	const fields: IDataObject = {
		errorKind: classification.kind,
		httpStatus: classification.httpStatus,
		errorReason: classification.reason,
		errorItem: itemIndex,
	};
	if (classification.crm) fields.errorCrm = classification.crm;
	if (classification.field) fields.errorField = classification.field;
	if (classification.retryAfterSeconds !== undefined) fields.retryAfterSeconds = classification.retryAfterSeconds;
	return fields;
}

export class Outcomes {
	private readonly outputs: INodeExecutionData[][];
	private readonly answered = new Set<number>();

	constructor(
		private readonly ctx: IExecuteFunctions,
		outputCount: number,
	) {
		this.outputs = Array.from({ length: outputCount }, () => []);
	}

	success(itemIndex: number, json: IDataObject, output = 0): void {
		this.answered.add(itemIndex);
		this.outputs[output].push({ json, pairedItem: { item: itemIndex } });
	}

	/** Records a failed item; throws at once when the node should stop on errors. */
	failure(itemIndex: number, error: NodeError, json: IDataObject): void {
		if (!this.ctx.continueOnFail()) throw error;
		this.answered.add(itemIndex);
		const classification = classifyFailure(error);
		// A writer that already knows the outcome is unknown may say so on the item itself.
		if (json.errorKind === 'uncertain' && classification.kind !== 'uncertain') {
			classification.kind = 'uncertain';
			classification.httpStatus = 502;
			delete classification.field;
			delete classification.retryAfterSeconds;
		}
		this.outputs[0].push({
			json: { ...json, error: error.message, errorDescription: error.description ?? undefined, ...failureFields(itemIndex, classification) },
			error,
			pairedItem: { item: itemIndex },
		});
	}

	/**
	 * Runs the node's work. An error thrown for the whole batch (a lookup every item needed,
	 * the credential) becomes a classified failure of each item not answered yet: with
	 * continue-on-fail n8n would otherwise pass the input on as if it had succeeded.
	 */
	async settle(work: () => Promise<void>): Promise<INodeExecutionData[][]> {
		try {
			await work();
		} catch (thrown) {
			if (!this.ctx.continueOnFail()) throw thrown;
			const node = this.ctx.getNode();
			this.ctx.getInputData().forEach((item, itemIndex) => {
				if (!this.answered.has(itemIndex)) this.failure(itemIndex, classifiedNodeError(node, thrown, itemIndex), item.json);
			});
		}
		return this.result();
	}

	/** Items in input order within each output. */
	result(): INodeExecutionData[][] {
		return this.outputs.map((items) =>
			[...items].sort((a, b) => itemOf(a) - itemOf(b)),
		);
	}
}

/** toNodeError, keeping what the transport knew about the CRM failure (e.g. its Retry-After) as marks. */
export function classifiedNodeError(node: INode, error: unknown, itemIndex: number): NodeError {
	return markFailure(toNodeError(node, error, itemIndex), crmFailureMarks(error));
}

function itemOf(item: INodeExecutionData): number {
	const paired = item.pairedItem;
	if (typeof paired === 'number') return paired;
	if (Array.isArray(paired)) return paired[0]?.item ?? 0;
	return paired?.item ?? 0;
}
