/**
 * Collects per-item results and turns them into n8n outputs. Without continue-on-fail the
 * first error stops the node. With it, a failed item is `{ error, details }` (n8n 1: see
 * failedItemJson): n8n's error output recognises exactly that shape and merges it into the item that came in (any other
 * field of a failed item — and every field when `item.error` is set — is dropped by n8n),
 * so the error branch sees the input, the message and the details:
 *
 * `details`: `kind` (invalid-input | crm-rejected | crm-unavailable | uncertain),
 * `httpStatus`, `reason`, `item` (input index), and when known `crm`, `field`,
 * `retryAfterSeconds`, `description`, `syncLog` (the item's trail including this failure).
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';
// The n8n-workflow a node runs with is the running n8n's own (the pack does not install one).
import { version as n8nWorkflowVersion } from 'n8n-workflow/package.json';

import {
	classifyFailure,
	crmFailureMarks,
	HTTP_STATUS,
	markFailure,
	type FailureClassification,
} from './failureKind';
import { toNodeError } from '../transport/nodeErrors';

export type NodeError = NodeApiError | NodeOperationError;

/** The failure details an error branch reads (absent values left out, so they never show as null). */
export function failureDetails(
	itemIndex: number,
	classification: FailureClassification,
): IDataObject {
	const details: IDataObject = {
		kind: classification.kind,
		httpStatus: classification.httpStatus,
		reason: classification.reason,
		item: itemIndex,
	};
	if (classification.crm) details.crm = classification.crm;
	if (classification.field) details.field = classification.field;
	if (classification.retryAfterSeconds !== undefined)
		details.retryAfterSeconds = classification.retryAfterSeconds;
	return details;
}

/**
 * The JSON of a failed item, in the shape the running n8n's error output takes. n8n 2 takes an
 * item whose only keys are `error`, `message` and `details`. n8n 1 takes only `{ error }` or
 * `{ error, message }` and sends any other item down the success output, as if it had worked:
 * there the reason travels as `message`, and the details are left out.
 */
export function failedItemJson(
	message: string,
	details: IDataObject,
	workflowVersion: string = n8nWorkflowVersion,
): IDataObject {
	if (Number.parseInt(workflowVersion, 10) >= 2) return { error: message, details };
	return {
		error: message,
		message:
			typeof details.reason === 'string' && details.reason.length > 0 ? details.reason : message,
	};
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

	/** Whether the item already has its output (a success or a failure). */
	isAnswered(itemIndex: number): boolean {
		return this.answered.has(itemIndex);
	}

	/**
	 * Records a failed item; throws at once when the node should stop on errors. `json` is
	 * what the item would have carried: its sync-log trail is kept in the details.
	 */
	failure(itemIndex: number, error: NodeError, json: IDataObject): void {
		if (!this.ctx.continueOnFail()) throw error;
		this.answered.add(itemIndex);
		const classification = classifyFailure(error);
		// A writer that already knows the outcome is unknown may say so on the item itself.
		if (json.errorKind === 'uncertain' && classification.kind !== 'uncertain') {
			classification.kind = 'uncertain';
			classification.httpStatus = HTTP_STATUS.uncertain;
			delete classification.field;
			delete classification.retryAfterSeconds;
		}
		const details = failureDetails(itemIndex, classification);
		if (error.description) details.description = error.description;
		if (Array.isArray(json.syncLog)) details.syncLog = json.syncLog;
		this.outputs[0].push({
			json: failedItemJson(error.message, details),
			pairedItem: { item: itemIndex },
		});
	}

	/**
	 * One item's error boundary: runs a step of that item (reading its parameters, a per-item
	 * decision) and turns a throw — e.g. an expression that fails for this item only — into
	 * the item's failure, so the other items of the batch go on. `undefined` ⇒ the item failed
	 * and is answered; without continue-on-fail the failure stops the node as usual.
	 */
	forItem<T>(itemIndex: number, json: IDataObject, step: () => T): { value: T } | undefined {
		const done = runItemStep(this.ctx.getNode(), itemIndex, step);
		if (done.ok) return { value: done.value };
		this.failure(itemIndex, done.error, json);
		return undefined;
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
			const node = this.ctx.getNode();
			if (!this.ctx.continueOnFail()) throw toNodeError(node, thrown);
			this.ctx.getInputData().forEach((item, itemIndex) => {
				if (!this.answered.has(itemIndex))
					this.failure(itemIndex, classifiedNodeError(node, thrown, itemIndex), item.json);
			});
		}
		return this.result();
	}

	/** Items in input order within each output. */
	result(): INodeExecutionData[][] {
		return this.outputs.map((items) => [...items].sort((a, b) => itemOf(a) - itemOf(b)));
	}
}

/** One item's step: its value, or the error that ended it (naming the item). */
export type ItemStep<T> = { ok: true; value: T } | { ok: false; error: NodeError };

/**
 * Runs one item's step and catches what it throws as that item's error, for nodes that record
 * a failed item with more than `Outcomes.forItem` knows (their own sync-log entry).
 */
export function runItemStep<T>(node: INode, itemIndex: number, step: () => T): ItemStep<T> {
	try {
		return { ok: true, value: step() };
	} catch (thrown) {
		return { ok: false, error: itemError(node, thrown, itemIndex) };
	}
}

/** `runItemStep` for a step that waits (e.g. on a chat model). */
export async function runAsyncItemStep<T>(
	node: INode,
	itemIndex: number,
	step: () => Promise<T>,
): Promise<ItemStep<T>> {
	try {
		return { ok: true, value: await step() };
	} catch (thrown) {
		return { ok: false, error: itemError(node, thrown, itemIndex) };
	}
}

/** What a step threw, as that item's classified error whose message names the item. */
function itemError(node: INode, thrown: unknown, itemIndex: number): NodeError {
	const error = classifiedNodeError(node, thrown, itemIndex);
	if (!error.message.startsWith(`Item ${itemIndex}:`))
		error.message = `Item ${itemIndex}: ${error.message}`;
	return error;
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
