/**
 * Reads each input item as a processed conversation, validated with the shared zod model
 * and the node's per-conversation limits. Unknown extra fields pass through untouched. A bad
 * item yields an error that names the item and the offending field, instead of failing
 * the whole batch; the error is marked as invalid input (400, or 413 beyond a limit).
 */
import { NodeOperationError, type IDataObject, type INode } from 'n8n-workflow';

import {
	DEFAULT_CONVERSATION_LIMITS,
	describeViolation,
	findLimitViolation,
	type ConversationLimits,
} from '../logic/conversationLimits';
import { ConversationSchema, type Conversation } from '../model';
import { MALFORMED_INPUT_STATUS, markFailure, TOO_LARGE_STATUS } from './failureKind';

export type ParsedConversation =
	{ ok: true; conversation: Conversation } | { ok: false; error: NodeOperationError };

export function parseConversation(
	node: INode,
	json: IDataObject,
	itemIndex: number,
	limits: ConversationLimits = DEFAULT_CONVERSATION_LIMITS,
): ParsedConversation {
	const violation = findLimitViolation(json, limits);
	if (violation) {
		const error = new NodeOperationError(
			node,
			`Item ${itemIndex}: ${describeViolation(violation)}`,
			{
				itemIndex,
				description:
					'The conversation is larger than this node accepts. Raise the limit under "Limits per Conversation" if such calls are expected.',
			},
		);
		return {
			ok: false,
			error: markFailure(error, {
				failureKind: 'invalid-input',
				field: violation.field,
				httpStatus: TOO_LARGE_STATUS,
			}),
		};
	}
	const result = ConversationSchema.safeParse(json);
	if (result.success) return { ok: true, conversation: result.data };
	const first = result.error.issues[0];
	const field = first.path.length ? first.path.join('.') : '(item)';
	const details = result.error.issues
		.map((issue) => `${issue.path.length ? issue.path.join('.') : '(item)'}: ${issue.message}`)
		.join('; ');
	const error = new NodeOperationError(
		node,
		`Item ${itemIndex}: field "${field}" is invalid: ${first.message}`,
		{
			itemIndex,
			description: `The item is not a processed conversation this node can use. ${details}`,
		},
	);
	return {
		ok: false,
		error: markFailure(error, {
			failureKind: 'invalid-input',
			field,
			httpStatus: MALFORMED_INPUT_STATUS,
		}),
	};
}
