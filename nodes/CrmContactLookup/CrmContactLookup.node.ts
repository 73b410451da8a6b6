import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { crmCredentials } from '../shared/descriptions/crmSelector';
import { crmCredentialTests } from '../shared/node/credentialTests';
import { CONTACT_LOOKUP_CRMS, contactLookupProperties } from './description';
import { executeContactLookup } from './execute';

export class CrmContactLookup implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CRM Contact Lookup',
		name: 'crmContactLookup',
		icon: { light: 'file:crmContactLookup.svg', dark: 'file:crmContactLookup.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ "Look up in " + $parameter["crm"] }}',
		description:
			'Find the person behind a phone number or email: the best contact or lead with its owner, open deals and last activity',
		defaults: { name: 'CRM Contact Lookup' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: crmCredentials(CONTACT_LOOKUP_CRMS),
		properties: contactLookupProperties,
	};

	methods = { credentialTest: crmCredentialTests };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeContactLookup.call(this);
	}
}
