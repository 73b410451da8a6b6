/**
 * AI review through the chat model connected to the node's "Chat Model" input. The pack does
 * not depend on LangChain: any connected n8n chat model is a LangChain chat model, and this
 * file only needs its `invoke(messages)` returning a message with `content`.
 */
import { NodeConnectionTypes, NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { buildReviewPrompt, parseReviewAnswer, type ParsedReview, type ReviewRequest } from './logic/qualificationReview';

export interface ChatModelLike {
	invoke(input: Array<[string, string]>, options?: { signal?: AbortSignal }): Promise<unknown>;
}

function isChatModel(value: unknown): value is ChatModelLike {
	return typeof value === 'object' && value !== null && typeof (value as { invoke?: unknown }).invoke === 'function';
}

/** The connected model, or undefined when none is connected. */
export async function connectedChatModel(ctx: IExecuteFunctions): Promise<ChatModelLike | undefined> {
	const connected = await ctx.getInputConnectionData(NodeConnectionTypes.AiLanguageModel, 0);
	const model = Array.isArray(connected) ? connected[0] : connected;
	if (model === undefined || model === null) return undefined;
	if (!isChatModel(model))
		throw new NodeOperationError(ctx.getNode(), 'The node connected to "Chat Model" is not a chat model', {
			description: 'Connect a chat model sub-node (for example OpenAI Chat Model) to the Chat Model input.',
		});
	return model;
}

/** Why an item was not reviewed when no (enabled) chat model is connected. */
export const NO_MODEL_REASON =
	'AI review skipped: no chat model is connected to the "Chat Model" input (or it is disabled); the status is kept';

/** Text of a chat model answer: a string, or content blocks of which the text parts count. */
export function answerText(message: unknown): string {
	const content = typeof message === 'string' ? message : (message as { content?: unknown } | null)?.content;
	if (typeof content === 'string') return content;
	if (Array.isArray(content))
		return content
			.map((part: unknown) => (typeof part === 'string' ? part : typeof (part as { text?: unknown })?.text === 'string' ? (part as { text: string }).text : ''))
			.join('');
	return '';
}

export async function reviewWithModel(ctx: IExecuteFunctions, model: ChatModelLike, request: ReviewRequest): Promise<ParsedReview> {
	const prompt = buildReviewPrompt(request);
	const answer = await model.invoke(
		[
			['system', prompt.system],
			['human', prompt.user],
		],
		{ signal: ctx.getExecutionCancelSignal?.() },
	);
	return parseReviewAnswer(answerText(answer), request.currentStatus);
}
