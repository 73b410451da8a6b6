import type { INodeProperties } from 'n8n-workflow';

import { CRM_NAMES } from '../shared/model';
import { profileOf } from '../shared/providers/profiles';

const whenEnabled = (flag: string) => ({ displayOptions: { show: { [flag]: [true] } } });

const priority = (name: string, value: number, flag: string): INodeProperties => ({
	displayName: 'Priority',
	name,
	type: 'number',
	default: value,
	description: 'Higher priorities are checked first; the first criterion that is not met decides',
	...whenEnabled(flag),
});

export const qualificationGateProperties: INodeProperties[] = [
	{
		displayName:
			'Each item is one conversation: client (ID, email, phone, company), messages[] (or messageCount), score, text or summary, ended (true when over). Optional priorStatus: the client\'s best status from its other conversations ("qualified" keeps it syncable).',
		name: 'inputNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Rules',
				value: 'rules',
				description: 'Check the criteria below now; a qualified lead is marked provisional',
			},
			{
				name: 'AI Review',
				value: 'aiReview',
				description:
					'Let a connected chat model review the whole conversation and confirm, upgrade or downgrade the current status',
			},
		],
		default: 'rules',
	},
	{
		displayName:
			'AI Review uses the chat model connected to the "Chat Model" input (OpenAI, Anthropic, Ollama, ...). Without one (or with a disabled one) the review is skipped: each item keeps its current status (a provisional one stays provisional), goes to that output with qualification.review.skipped and a "skipped" sync-log entry saying why. The current status is read from the item\'s "qualification" (output of an earlier gate), otherwise the rules below decide it first.',
		name: 'aiReviewNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { mode: ['aiReview'] } },
	},
	{
		displayName: 'Review Guidance',
		name: 'reviewInstructions',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		placeholder: 'e.g. Only companies with more than 10 vehicles are a fit',
		description: 'What a qualified lead means for your team; added to the model prompt',
		displayOptions: { show: { mode: ['aiReview'] } },
	},

	{
		displayName: 'Minimum Message Count',
		name: 'useMessageCount',
		type: 'boolean',
		default: true,
		description:
			'Whether the conversation needs a minimum number of messages. Fewer messages keep an open conversation pending.',
	},
	{
		displayName: 'Minimum Messages',
		name: 'minMessages',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 3,
		...whenEnabled('useMessageCount'),
	},
	priority('messageCountPriority', 40, 'useMessageCount'),

	{
		displayName: 'Required Keywords',
		name: 'useKeywords',
		type: 'boolean',
		default: false,
		description:
			'Whether the conversation must mention certain words (whole words, any language, case-insensitive)',
	},
	{
		displayName: 'Keywords',
		name: 'keywords',
		type: 'string',
		default: '',
		placeholder: 'pricing, demo, quote',
		description: 'Comma-separated; a keyword may have several words ("free trial")',
		...whenEnabled('useKeywords'),
	},
	{
		displayName: 'Keyword Match',
		name: 'keywordMode',
		type: 'options',
		options: [
			{ name: 'Any Keyword', value: 'any' },
			{ name: 'All Keywords', value: 'all' },
		],
		default: 'any',
		...whenEnabled('useKeywords'),
	},
	priority('keywordsPriority', 30, 'useKeywords'),

	{
		displayName: 'Required Contact Fields',
		name: 'useContactFields',
		type: 'boolean',
		default: false,
		description: 'Whether the client must have certain contact details',
	},
	{
		displayName: 'Contact Fields',
		name: 'contactFields',
		type: 'multiOptions',
		options: [
			{ name: 'Company', value: 'company' },
			{ name: 'Email', value: 'email' },
			{ name: 'Phone', value: 'phone' },
		],
		default: ['email'],
		...whenEnabled('useContactFields'),
	},
	priority('contactFieldsPriority', 20, 'useContactFields'),

	{
		displayName: 'Minimum Score',
		name: 'useScore',
		type: 'boolean',
		default: false,
		description:
			'Whether the conversation score must reach a threshold. A conversation without a score yet is pending.',
	},
	{
		displayName: 'Score Threshold',
		name: 'minScore',
		type: 'number',
		default: 50,
		...whenEnabled('useScore'),
	},
	priority('scorePriority', 10, 'useScore'),

	{
		displayName: 'Sync Log CRMs',
		name: 'syncLogCrms',
		type: 'multiOptions',
		options: CRM_NAMES.map((crm) => ({ name: profileOf(crm).selectorLabel, value: crm })),
		default: ['hubspot'],
		description:
			'The CRMs this lead would sync to; each gets a sync-log entry (qualified = success, unqualified = skipped, pending = pending). One value for the whole run: an expression must give every item the same value.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Sticky Qualification',
				name: 'sticky',
				type: 'boolean',
				default: true,
				description:
					'Whether a client with any earlier qualified conversation (provisional included) stays qualified when a later conversation is not. One value for the whole run: an expression must give every item the same value.',
			},
			{
				displayName: 'Remember Qualified Clients',
				name: 'rememberClients',
				type: 'boolean',
				default: true,
				description:
					"Whether to record qualified client IDs in n8n's processed-items store for this workflow, so later executions know the client was qualified even without a priorStatus field. One value for the whole run: an expression must give every item the same value.",
			},
		],
	},
];
