/** AI review: the review prompt sent to the connected chat model, its answer parsed. */
import type { IExecuteFunctions } from 'n8n-workflow';

import {
	buildReviewPrompt,
	parseReviewAnswer,
	type ParsedReview,
	type ReviewRequest,
} from './logic/qualificationReview';
import { askChatModel, type ChatModelLike } from '../shared/ai/chatModel';

/** Why an item was not reviewed when no (enabled) chat model is connected. */
export const NO_MODEL_REASON =
	'AI review skipped: no chat model is connected to the "Chat Model" input (or it is disabled); the status is kept';

export async function reviewWithModel(
	ctx: IExecuteFunctions,
	model: ChatModelLike,
	request: ReviewRequest,
): Promise<ParsedReview> {
	return parseReviewAnswer(
		await askChatModel(ctx, model, buildReviewPrompt(request)),
		request.currentStatus,
	);
}
