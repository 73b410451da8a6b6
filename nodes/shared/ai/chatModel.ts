/**
 * The chat model connected to a node's "Chat Model" input, for every pack node that asks one
 * (the Qualification Gate's AI review, Field Merge's AI merge). The pack does not depend on
 * LangChain: every n8n chat model sub-node supplies a LangChain chat model, and only its
 * `invoke(messages, { signal })` returning a message with `content` is used.
 */
import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeInputConfiguration,
} from 'n8n-workflow';

export interface ChatModelLike {
	invoke(input: Array<[string, string]>, options?: { signal?: AbortSignal }): Promise<unknown>;
}

/** The input every pack node that uses a model declares, so the canvas labels it the same way. */
export const CHAT_MODEL_INPUT: INodeInputConfiguration = {
	type: NodeConnectionTypes.AiLanguageModel,
	displayName: 'Chat Model',
	required: false,
	maxConnections: 1,
};

function isChatModel(value: unknown): value is ChatModelLike {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as { invoke?: unknown }).invoke === 'function'
	);
}

/** The connected model; undefined when none is connected (or it is disabled). */
export async function connectedChatModel(
	ctx: IExecuteFunctions,
): Promise<ChatModelLike | undefined> {
	const connected = await ctx.getInputConnectionData(NodeConnectionTypes.AiLanguageModel, 0);
	const model = Array.isArray(connected) ? connected[0] : connected;
	if (model === undefined || model === null) return undefined;
	if (!isChatModel(model))
		throw new NodeOperationError(
			ctx.getNode(),
			'The node connected to "Chat Model" is not a chat model',
			{
				description:
					'Connect a chat model sub-node (for example OpenAI Chat Model) to the Chat Model input.',
			},
		);
	return model;
}

/** Text of a chat model answer: a string, or content blocks of which the text parts count. */
export function answerText(message: unknown): string {
	const content =
		typeof message === 'string' ? message : (message as { content?: unknown } | null)?.content;
	if (typeof content === 'string') return content;
	if (Array.isArray(content))
		return content
			.map((part: unknown) =>
				typeof part === 'string'
					? part
					: typeof (part as { text?: unknown })?.text === 'string'
						? (part as { text: string }).text
						: '',
			)
			.join('');
	return '';
}

/** Sends one system + user prompt; stops when the execution is cancelled. */
export async function askChatModel(
	ctx: IExecuteFunctions,
	model: ChatModelLike,
	prompt: { system: string; user: string },
): Promise<string> {
	const answer = await model.invoke(
		[
			['system', prompt.system],
			['human', prompt.user],
		],
		{ signal: ctx.getExecutionCancelSignal?.() },
	);
	return answerText(answer);
}
