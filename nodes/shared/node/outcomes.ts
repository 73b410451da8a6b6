/**
 * Collects per-item results and turns them into n8n outputs. Failed items carry their
 * NodeApiError/NodeOperationError on `error`, so n8n's error output (or "continue") gets
 * them with paired items intact; without continue-on-fail the first error stops the node.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, NodeApiError, NodeOperationError } from 'n8n-workflow';

export type NodeError = NodeApiError | NodeOperationError;

export class Outcomes {
	private readonly outputs: INodeExecutionData[][];

	constructor(
		private readonly ctx: IExecuteFunctions,
		outputCount: number,
	) {
		this.outputs = Array.from({ length: outputCount }, () => []);
	}

	success(itemIndex: number, json: IDataObject, output = 0): void {
		this.outputs[output].push({ json, pairedItem: { item: itemIndex } });
	}

	/** Records a failed item; throws at once when the node should stop on errors. */
	failure(itemIndex: number, error: NodeError, json: IDataObject): void {
		if (!this.ctx.continueOnFail()) throw error;
		this.outputs[0].push({
			json: { ...json, error: error.message, errorDescription: error.description ?? undefined },
			error,
			pairedItem: { item: itemIndex },
		});
	}

	/** Items in input order within each output. */
	result(): INodeExecutionData[][] {
		return this.outputs.map((items) =>
			[...items].sort((a, b) => itemOf(a) - itemOf(b)),
		);
	}
}

function itemOf(item: INodeExecutionData): number {
	const paired = item.pairedItem;
	if (typeof paired === 'number') return paired;
	if (Array.isArray(paired)) return paired[0]?.item ?? 0;
	return paired?.item ?? 0;
}
