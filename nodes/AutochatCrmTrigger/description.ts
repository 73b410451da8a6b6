import type { INodeProperties } from 'n8n-workflow';

export const AUTOCHAT_EVENTS = ['client.created', 'client.updated'] as const;
export type AutochatEvent = (typeof AUTOCHAT_EVENTS)[number];

export const autochatTriggerProperties: INodeProperties[] = [
	{
		displayName:
			'In autoch.at CRM, add this node\'s production URL as a webhook (HTTPS) and copy its signing secret into the credential\'s "Webhook Signing Secret". Deliveries with a missing or wrong X-Webhook-Signature are answered 401 and start nothing.',
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
			{ name: 'Client Created', value: 'client.created', description: 'A new client was added in autoch.at CRM' },
			{ name: 'Client Updated', value: 'client.updated', description: "A client's details changed in autoch.at CRM" },
		],
		default: ['client.created', 'client.updated'],
		description: 'Which events start the workflow; other verified events are acknowledged and ignored',
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
				default: 0,
				description:
					'Ignore deliveries whose timestamp is older than this (0 = no limit). Protects against very old deliveries being replayed after they left the replay memory.',
			},
		],
	},
];
