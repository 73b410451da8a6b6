import {
	NodeConnectionTypes,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { crmCredentials } from '../shared/descriptions/crmSelector';
import { crmCredentialTests } from '../shared/node/credentialTests';
import { SYNC_TRIGGER_CRMS, syncTriggerProperties } from './description';
import { getInclusionSegments, getSegments, getSyncFields } from './loadOptions';
import { pollCrmSync } from './poll';

export class CrmSyncTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CRM Sync Trigger',
		name: 'crmSyncTrigger',
		icon: { light: 'file:crmSyncTrigger.svg', dark: 'file:crmSyncTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "Changes in " + $parameter["crm"] }}',
		description:
			'Starts the workflow with CRM records (contacts, leads, companies, deals) created, updated or deleted since the last poll, or contacts added to or removed from a list',
		defaults: { name: 'CRM Sync Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: crmCredentials(SYNC_TRIGGER_CRMS),
		properties: syncTriggerProperties,
	};

	methods = {
		loadOptions: { getSyncFields, getSegments, getInclusionSegments },
		credentialTest: crmCredentialTests,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollCrmSync.call(this);
	}
}
