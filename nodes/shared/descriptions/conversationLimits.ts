/** The "Limits per Conversation" setting shared by every node that reads processed calls. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	CONVERSATION_LIMIT_LABELS,
	DEFAULT_CONVERSATION_LIMITS,
	resolveLimits,
	type ConversationLimits,
} from '../logic/conversationLimits';
import { batchParameter } from '../node/batchParameter';

const AFTER =
	'A larger conversation fails with an error naming the item and field (webhook templates answer 413)';

function limit(name: keyof ConversationLimits, description: string): INodeProperties {
	const defaultLimit = DEFAULT_CONVERSATION_LIMITS[name];
	return {
		displayName: CONVERSATION_LIMIT_LABELS[name],
		name,
		type: 'number',
		typeOptions: { minValue: 1 },
		default: defaultLimit,
		description: `${description}. ${AFTER}.`,
	};
}

export function conversationLimitsProperty(
	displayOptions?: INodeProperties['displayOptions'],
): INodeProperties {
	return {
		displayName: 'Limits per Conversation',
		name: 'limits',
		type: 'collection',
		placeholder: 'Add Limit',
		default: {},
		...(displayOptions ? { displayOptions } : {}),
		description:
			'Bounds on what one processed call may contain, so a single request cannot cause an unbounded number of CRM calls. One value for the whole run: an expression must give every item the same value.',
		options: [
			limit('maxParticipants', 'Most participants one conversation may list'),
			limit('maxActionItems', 'Most action items one conversation may list'),
			limit('maxSummaryLength', 'Most characters in the summary'),
			limit(
				'maxDealInsightsLength',
				'Most characters in the deal insights (all labels and values together)',
			),
			limit('maxActionItemLength', 'Most characters in one action item'),
		],
	};
}

export function readConversationLimits(ctx: IExecuteFunctions): ConversationLimits {
	return resolveLimits(
		batchParameter<Partial<Record<keyof ConversationLimits, unknown>>>(
			ctx,
			'limits',
			'Limits per Conversation',
			{},
		),
	);
}
