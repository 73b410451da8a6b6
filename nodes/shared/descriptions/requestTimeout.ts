import type { INodeProperties } from 'n8n-workflow';

/** Parameter path read by connectProvider; nodes put this option in their Options collection. */
export const REQUEST_TIMEOUT_PATH = 'options.requestTimeoutSeconds';
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 60;

export const requestTimeoutOption: INodeProperties = {
	displayName: 'Request Timeout (Seconds)',
	name: 'requestTimeoutSeconds',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 600 },
	default: DEFAULT_REQUEST_TIMEOUT_SECONDS,
	description:
		"How long to wait for the CRM's answer to one request. A write that gets no answer in time is not sent again, because the CRM may still store it: the item fails as uncertain and the next delivery of the same call checks the CRM first.",
};
