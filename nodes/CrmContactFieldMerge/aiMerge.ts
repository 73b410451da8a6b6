/** AI merge: the prompt that asks the connected chat model to combine a field's old and new text. */
import type { AiMergeRequest } from './logic/merge';

export const NO_MODEL_MESSAGE = 'AI merge needs a chat model connected to the "Chat Model" input';

/** Asks the connected model for one field's merged value (the answer text). */
export type AiMerger = (request: AiMergeRequest, fieldLabel: string) => Promise<string>;

export function aiMergePrompt(
	request: AiMergeRequest,
	fieldLabel: string,
): { system: string; user: string } {
	return {
		system: [
			`You maintain the CRM field "${fieldLabel}".`,
			'Combine its current value and the new information into one concise value for that field.',
			'Keep every fact that is still true; where they conflict, prefer the new information.',
			'Answer with the field value only, without explanations or quotes.',
		].join('\n'),
		user: ['Current value:', request.before, '', 'New information:', request.incoming].join('\n'),
	};
}
