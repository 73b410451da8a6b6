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
import { MEETING_WRITER_CRMS, meetingWriterProperties } from './description';
import { executeMeetingWriter } from './execute';
import { getCallFieldNames, getCallOutcomes } from './methods';

export class CrmMeetingWriter implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CRM Meeting / Event Writer',
		name: 'crmMeetingWriter',
		icon: { light: 'file:crmMeetingWriter.svg', dark: 'file:crmMeetingWriter.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + " in " + $parameter["crm"] }}',
		description:
			'Write a meeting or event for a call, log the call with its outcome, or log a WhatsApp, LinkedIn or SMS chat, on the matched CRM records',
		defaults: { name: 'CRM Meeting / Event Writer' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: crmCredentials(MEETING_WRITER_CRMS),
		properties: meetingWriterProperties,
	};

	methods = {
		loadOptions: { getMeetingTypes, getCallOutcomes, getCallFieldNames },
		credentialTest: crmCredentialTests,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeMeetingWriter.call(this);
	}
}
