import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { crmCredentials } from '../shared/descriptions/crmSelector';
import { crmCredentialTests } from '../shared/node/credentialTests';
import { getMeetingTypes } from '../shared/node/loadOptions';
import { NOTE_ROUTER_CRMS, noteRouterProperties } from './description';
import { executeNoteRouter } from './execute';

export class CrmNoteRouter implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CRM Note Router',
		name: 'crmNoteRouter',
		icon: { light: 'file:crmNoteRouter.svg', dark: 'file:crmNoteRouter.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ "Notes to " + $parameter["crm"] }}',
		description:
			'Push a call summary and deal insights to the matched CRM records as a note, meeting or event',
		defaults: { name: 'CRM Note Router' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: crmCredentials(NOTE_ROUTER_CRMS),
		properties: noteRouterProperties,
	};

	methods = { loadOptions: { getMeetingTypes }, credentialTest: crmCredentialTests };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeNoteRouter.call(this);
	}
}
