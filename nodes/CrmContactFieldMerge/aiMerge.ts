/**
 * AI merge through the language model connected to the node's Model input (any n8n chat
 * model sub-node: it supplies a LangChain chat model). Only the `invoke` call is used.
 */
import type { AiMergeRequest } from './logic/merge';

export interface ChatModelLike {
	invoke(input: string): Promise<{ content: unknown }>;
}

export const NO_MODEL_MESSAGE = 'AI merge needs a language model connected to the Model input';

export function isChatModel(value: unknown): value is ChatModelLike {
	return typeof value === 'object' && value !== null && typeof (value as { invoke?: unknown }).invoke === 'function';
}

export function aiMergePrompt(request: AiMergeRequest, fieldLabel: string): string {
	return [
		`You maintain the CRM field "${fieldLabel}".`,
		'Combine its current value and the new information into one concise value for that field.',
		'Keep every fact that is still true; where they conflict, prefer the new information.',
		'Answer with the field value only, without explanations or quotes.',
		'',
		'Current value:',
		request.before,
		'',
		'New information:',
		request.incoming,
	].join('\n');
}

/** Text of a chat model answer: plain string content or the text parts of a content array. */
export function answerText(content: unknown): string {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return '';
	return content
		.map((part) => (typeof part === 'string' ? part : typeof part === 'object' && part !== null && 'text' in part ? String((part as { text: unknown }).text) : ''))
		.join('');
}

export async function askModel(model: ChatModelLike, request: AiMergeRequest, fieldLabel: string): Promise<string> {
	const answer = await model.invoke(aiMergePrompt(request, fieldLabel));
	return answerText(answer.content);
}
