import type { WebhookAuth } from './webhookAuth';
import type { ImportedWorkflow, WebhookEndpoint } from './workflows';

/** Single-quotes a shell word (the payload path may contain spaces). */
function shellQuote(word: string): string {
	return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The template the demo's sample call is meant for (the product's main flow), when it is imported. */
export const DEMO_TEMPLATE_FILE = 'call-processed-to-crm.json';

/**
 * The webhook for the demo's curl line: the main template's POST webhook if it is active,
 * else the first active workflow's webhook that takes a body (POST), else any active webhook.
 */
export function demoWebhook(
	workflows: ImportedWorkflow[],
): { workflow: ImportedWorkflow; webhook: WebhookEndpoint } | undefined {
	const candidates = workflows
		.filter((workflow) => workflow.active)
		.flatMap((workflow) => workflow.webhooks.map((webhook) => ({ workflow, webhook })));
	const posts = candidates.filter((candidate) => candidate.webhook.method.toUpperCase() === 'POST');
	return (
		posts.find((candidate) => candidate.workflow.file === DEMO_TEMPLATE_FILE) ??
		posts[0] ??
		candidates[0]
	);
}

/** One copy-pasteable line: `curl ...` posting the JSON file to the webhook, with the webhook's secret header. */
export function curlLine(
	publicUrl: string,
	webhook: WebhookEndpoint,
	payloadFile: string,
	auth?: WebhookAuth,
): string {
	const method = webhook.method.toUpperCase();
	const secret = auth ? ` -H ${shellQuote(`${auth.header}: ${auth.value}`)}` : '';
	return `curl -sS -X ${method} ${shellQuote(`${publicUrl}/${webhook.path}`)} -H 'Content-Type: application/json'${secret} --data-binary @${shellQuote(payloadFile)}`;
}
