/** The "Content Source" parameter of the nodes that write a call's text into the CRM. */
import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import type { ContentSource } from '../logic/noteContent';

const OPTIONS: Array<{ name: string; value: ContentSource; description: string }> = [
	{ name: 'Summary', value: 'summary', description: 'The call recap and its action items' },
	{ name: 'Deal Insights', value: 'dealInsights', description: 'Scorecard-based sales insights' },
	{
		name: 'Summary + Deal Insights',
		value: 'summaryAndDealInsights',
		description: 'Both, in one CRM entry',
	},
];

/** `description` says where the text lands in this node's CRM entry. */
export function contentSourceParameter(
	description: string,
	displayOptions?: IDisplayOptions,
): INodeProperties {
	return {
		displayName: 'Content Source',
		name: 'contentSource',
		type: 'options',
		options: OPTIONS,
		default: 'summary',
		description,
		...(displayOptions ? { displayOptions } : {}),
	};
}
