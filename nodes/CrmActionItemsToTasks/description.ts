import type { INodeProperties } from 'n8n-workflow';

import { conversationLimitsProperty } from '../shared/descriptions/conversationLimits';
import { authenticationParameters, crmParameter } from '../shared/descriptions/crmSelector';
import { requestTimeoutOption } from '../shared/descriptions/requestTimeout';
import { targetParameters } from '../shared/descriptions/targets';
import { TASK_CRMS, actionItemTaskParameters } from '../shared/descriptions/actionItemTasks';

export { TASK_CRMS };

export const actionItemsToTasksProperties: INodeProperties[] = [
	crmParameter(TASK_CRMS),
	...authenticationParameters(TASK_CRMS),
	...targetParameters(TASK_CRMS, {
		displayName: 'Associate With',
		description:
			'Which matched records each task is associated with (Dynamics and single-record CRMs use the first one). Types CRM Link does not match are left out.',
	}),
	...actionItemTaskParameters({
		optionsName: 'options',
		optionsDisplayName: 'Options',
		extraOptions: [requestTimeoutOption],
	}),
	conversationLimitsProperty(),
];
