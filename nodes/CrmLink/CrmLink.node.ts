import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { crmCredentials } from '../shared/descriptions/crmSelector';
import { crmCredentialTests } from '../shared/node/credentialTests';
import { CRM_LINK_CRMS, crmLinkProperties } from './description';
import { executeCrmLink } from './execute';

export class CrmLink implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CRM Link',
		name: 'crmLink',
		icon: { light: 'file:crmLink.svg', dark: 'file:crmLink.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ "Match in " + $parameter["crm"] }}',
		description:
			'Match a processed call or conversation to CRM contacts, companies, deals and leads',
		defaults: { name: 'CRM Link' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Matched', 'No Match'],
		credentials: crmCredentials(CRM_LINK_CRMS),
		properties: crmLinkProperties,
	};

	methods = { credentialTest: crmCredentialTests };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeCrmLink.call(this);
	}
}
