/**
 * The gate's three outputs. A failed item is placed on the *unqualified* output (never on
 * "qualified", which would let a broken item sync); with the error output enabled n8n moves
 * it there, with "continue" it stays on unqualified carrying `error`; otherwise the node stops.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { QualificationStatus } from './logic/qualification';
import type { NodeError } from '../shared/node/outcomes';

export const OUTPUT_INDEX: Record<QualificationStatus, number> = {
	qualified: 0,
	unqualified: 1,
	pending: 2,
};

export class GateOutputs {
	private readonly outputs: INodeExecutionData[][] = [[], [], []];

	constructor(private readonly ctx: IExecuteFunctions) {}

	route(itemIndex: number, status: QualificationStatus, json: IDataObject): void {
		this.outputs[OUTPUT_INDEX[status]].push({ json, pairedItem: { item: itemIndex } });
	}

	failure(itemIndex: number, error: NodeError, json: IDataObject): void {
		if (!this.ctx.continueOnFail()) throw error;
		this.outputs[OUTPUT_INDEX.unqualified].push({
			json: { ...json, error: error.message, errorDescription: error.description ?? undefined },
			error,
			pairedItem: { item: itemIndex },
		});
	}

	/** Items in input order within each output. */
	result(): INodeExecutionData[][] {
		const order = (item: INodeExecutionData) => (item.pairedItem as { item: number }).item;
		return this.outputs.map((items) => [...items].sort((a, b) => order(a) - order(b)));
	}
}
