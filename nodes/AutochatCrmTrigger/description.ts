import type { INodeProperties } from 'n8n-workflow';

export const AUTOCHAT_EVENTS = ['client.created', 'client.updated'] as const;
export type AutochatEvent = (typeof AUTOCHAT_EVENTS)[number];

/** Deliveries older than this are rejected unless the user changes the option. */
export const DEFAULT_MAX_EVENT_AGE_MINUTES = 5;

export const autochatTriggerProperties: INodeProperties[] = [
	{
		displayName:
			'In autoch.at CRM, add this node\'s production URL as a webhook (HTTPS) and copy its signing secret into the credential\'s "Webhook Signing Secret". Deliveries with a missing or wrong X-Webhook-Signature are answered 401, too old ones 400; both start nothing.',
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		options: [
			{
				name: 'Client Created',
				value: 'client.created',
				description: 'A new client was added in autoch.at CRM',
			},
			{
				name: 'Client Updated',
				value: 'client.updated',
				description: "A client's details changed in autoch.at CRM",
			},
		],
		default: ['client.created', 'client.updated'],
		description:
			'Which events start the workflow; other verified events are acknowledged and ignored',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Max Event Age (Minutes)',
				name: 'maxEventAgeMinutes',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULT_MAX_EVENT_AGE_MINUTES,
				description:
					'Deliveries whose timestamp is older than this, more than 5 minutes in the future, missing or unreadable are answered 400 and start nothing. Raise it if autoch.at may retry a delivery later than this (e.g. after n8n was down). 0 turns the check off: a captured signed delivery can then be replayed once the replay memory (24 hours) has forgotten it.',
			},
		],
	},
];
