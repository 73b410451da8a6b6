/**
 * Turns anything a provider or the transport throws into the error n8n shows the user:
 * NodeApiError for a CRM's answer, NodeOperationError for everything else, both carrying
 * the item index so "continue on fail" and the error output point at the right item.
 */
import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';
import { CrmRequestError } from './errors';
import { redactSecrets } from './redact';

function crmErrorResponse(error: CrmRequestError): JsonObject {
	const response: JsonObject = {
		crm: error.crm,
		request: error.label,
		kind: error.kind,
		attempts: error.attempts,
		retryable: error.retryable,
		message: error.crmMessage,
	};
	if (error.status !== undefined) response.httpCode = String(error.status);
	// Not under `code`: NodeApiError would take a network code for the HTTP code.
	if (error.code !== undefined) response.crmCode = error.code;
	return response;
}

function toNodeApiError(node: INode, error: CrmRequestError, itemIndex?: number): NodeApiError {
	const description =
		error.crmMessage && error.crmMessage !== error.message ? error.crmMessage : undefined;
	const apiError = new NodeApiError(node, crmErrorResponse(error), {
		message: error.message,
		description,
		httpCode: error.status !== undefined ? String(error.status) : undefined,
		itemIndex,
	});
	// NodeApiError swaps messages that mention a network code (ECONNRESET ...) for a generic
	// text; ours already says what happened and names the CRM, so keep it.
	apiError.message = error.message;
	apiError.description = description;
	return apiError;
}

function hasItemIndex(error: NodeApiError | NodeOperationError): boolean {
	return error.context.itemIndex !== undefined;
}

export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (error instanceof CrmRequestError) return toNodeApiError(node, error, itemIndex);
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (itemIndex !== undefined && !hasItemIndex(error)) error.context.itemIndex = itemIndex;
		return error;
	}
	// Unknown errors: keep only a scrubbed message, never the original object (it may hold
	// request options with an Authorization header).
	const text =
		error instanceof Error ? error.message : typeof error === 'string' ? error : 'Unknown error';
	return new NodeOperationError(node, redactSecrets(text, []), { itemIndex });
}
