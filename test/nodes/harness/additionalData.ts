/**
 * The IWorkflowExecuteAdditionalData every harness runner hands n8n-core: the harness's
 * credentials, local instance URLs, and a clear error for anything a runner doesn't offer
 * (sub-workflows, runner tasks).
 */
import type { IWorkflowExecuteAdditionalData } from 'n8n-workflow';

import type { HarnessCredentialsHelper } from './credentialsHelper';

const BASE = 'http://localhost:5678';

/** `harness` names the runner in the "not available" error; `extra` adds runner-specific fields. */
export function harnessAdditionalData(
	credentials: HarnessCredentialsHelper,
	harness: string,
	extra: Record<string, unknown> = {},
): IWorkflowExecuteAdditionalData {
	const unsupported = async () => {
		throw new Error(`not available in the ${harness} harness`);
	};
	// A partial object: n8n-core reads only what the contexts under test use.
	return {
		credentialsHelper: credentials,
		executeWorkflow: unsupported,
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${BASE}/rest`,
		instanceBaseUrl: `${BASE}/`,
		formBaseUrl: `${BASE}/form`,
		formWaitingBaseUrl: `${BASE}/form-waiting`,
		formTestBaseUrl: `${BASE}/form-test`,
		webhookBaseUrl: `${BASE}/webhook`,
		webhookWaitingBaseUrl: `${BASE}/webhook-waiting`,
		webhookTestBaseUrl: `${BASE}/webhook-test`,
		mcpBaseUrl: `${BASE}/mcp`,
		mcpTestBaseUrl: `${BASE}/mcp-test`,
		variables: {},
		logAiEvent: () => undefined,
		startRunnerTask: unsupported,
		...extra,
	} as unknown as IWorkflowExecuteAdditionalData;
}
