import type { ImportedWorkflow, WebhookEndpoint } from './workflows';

/** Single-quotes a shell word (the payload path may contain spaces). */
function shellQuote(word: string): string {
	return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The first active workflow's webhook that takes a body (POST preferred), for the demo's curl line. */
export function demoWebhook(workflows: ImportedWorkflow[]): { workflow: ImportedWorkflow; webhook: WebhookEndpoint } | undefined {
	const candidates = workflows
		.filter((workflow) => workflow.active)
		.flatMap((workflow) => workflow.webhooks.map((webhook) => ({ workflow, webhook })));
	return candidates.find((candidate) => candidate.webhook.method.toUpperCase() === 'POST') ?? candidates[0];
}

/** One copy-pasteable line: `curl ...` posting the JSON file to the webhook. */
export function curlLine(publicUrl: string, webhook: WebhookEndpoint, payloadFile: string): string {
	const method = webhook.method.toUpperCase();
	return `curl -sS -X ${method} ${shellQuote(`${publicUrl}/${webhook.path}`)} -H 'Content-Type: application/json' --data-binary @${shellQuote(payloadFile)}`;
}
