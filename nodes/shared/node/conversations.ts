/**
 * Reads each input item as a processed conversation, validated with the shared zod model.
 * Unknown extra fields pass through untouched. A bad item yields an error that names the
 * item and the offending field, instead of failing the whole batch.
 */
import { NodeOperationError, type IDataObject, type INode } from 'n8n-workflow';

import { ConversationSchema, type Conversation } from '../model';

export type ParsedConversation =
	| { ok: true; conversation: Conversation }
	| { ok: false; error: NodeOperationError };

export function parseConversation(node: INode, json: IDataObject, itemIndex: number): ParsedConversation {
	const result = ConversationSchema.safeParse(json);
	if (result.success) return { ok: true, conversation: result.data };
	const first = result.error.issues[0];
	const field = first.path.length ? first.path.join('.') : '(item)';
	const details = result.error.issues
		.map((issue) => `${issue.path.length ? issue.path.join('.') : '(item)'}: ${issue.message}`)
		.join('; ');
	return {
		ok: false,
		error: new NodeOperationError(node, `Item ${itemIndex}: field "${field}" is invalid: ${first.message}`, {
			itemIndex,
			description: `The item is not a processed conversation this node can use. ${details}`,
		}),
	};
}
