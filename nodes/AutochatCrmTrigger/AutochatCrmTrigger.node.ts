import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { autochatTriggerProperties } from './description';
import { handleAutochatWebhook } from './webhook';

// autoch.at's public API documents no endpoint to register webhooks: the user adds this node's
// URL and copies the signing secret in autoch.at CRM's settings, so there is nothing for
// webhookMethods (checkExists / create / delete) to call.
// eslint-disable-next-line @n8n/community-nodes/webhook-lifecycle-complete
export class AutochatCrmTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'autoch.at CRM Trigger',
		name: 'autochatCrmTrigger',
		icon: { light: 'file:autochatCrmTrigger.svg', dark: 'file:autochatCrmTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["events"].join(", ") }}',
		description:
			'Starts the workflow when a client is created or updated in autoch.at CRM (signed webhooks)',
		defaults: { name: 'autoch.at CRM Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'crmSyncAutochatApi', required: true }],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'autochat-crm' },
		],
		properties: autochatTriggerProperties,
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleAutochatWebhook.call(this);
	}
}
