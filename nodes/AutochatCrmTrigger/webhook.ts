/**
 * Handles one autoch.at CRM delivery: verify the signature over the raw body (401 and no
 * workflow run when it fails), parse the event, skip events the user did not pick, reject
 * deliveries that are too old or dated in the future (400), claim the delivery so that
 * replays and concurrent copies are answered `duplicate`, and only then start the workflow
 * with `{ event, timestamp, client }` + a sync-log entry.
 * Rejections are answered here and reported to n8n as `noWebhookResponse`.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import {
	checkEventAge,
	deliveryKeys,
	SIGNATURE_HEADER,
	verifySignature,
} from './logic/webhookSignature';
import { syncLog } from '../shared/node/syncLog';
import { CLOCK_SKEW_MS, retentionPolicy } from './deliveryMemory';
import { DEFAULT_MAX_EVENT_AGE_MINUTES, type AutochatEvent } from './description';
import { eventIdOf, parsePayload } from './payload';
import { processReplayGuard } from './replay';

/** n8n's request and response objects (Node's http message types, extended by express). */
type WebhookRequest = ReturnType<IWebhookFunctions['getRequestObject']>;
type WebhookResponse = ReturnType<IWebhookFunctions['getResponseObject']>;

function answer(res: WebhookResponse, status: number, body: IDataObject): IWebhookResponseData {
	if (!res.headersSent) res.writeHead(status, { 'Content-Type': 'application/json' });
	res.end(JSON.stringify(body));
	return { noWebhookResponse: true };
}

/** The exact bytes received; n8n reads them lazily (`readRawBody`) before parsing JSON bodies. */
async function rawBodyOf(req: WebhookRequest): Promise<Buffer | undefined> {
	if (!req.rawBody && typeof req.readRawBody === 'function') await req.readRawBody();
	return req.rawBody;
}

/** The client record: `data` itself, or `data.client` when the sender wraps it. */
function clientOf(data: Record<string, unknown>): IDataObject {
	const wrapped = data.client;
	return (
		wrapped && typeof wrapped === 'object' && !Array.isArray(wrapped) ? wrapped : data
	) as IDataObject;
}

export async function handleAutochatWebhook(
	this: IWebhookFunctions,
): Promise<IWebhookResponseData> {
	const req = this.getRequestObject();
	const res = this.getResponseObject();
	const credentials = await this.getCredentials<{ webhookSigningSecret?: string }>(
		'crmSyncAutochatApi',
	);
	const secret =
		typeof credentials.webhookSigningSecret === 'string' ? credentials.webhookSigningSecret : '';

	const raw = await rawBodyOf(req);
	if (!raw) return answer(res, 400, { error: 'The request has no body' });
	const check = verifySignature(secret, raw, req.headers[SIGNATURE_HEADER]);
	if (!check.ok) {
		this.logger.warn(`autoch.at CRM Trigger rejected a delivery: ${check.message}`, {
			node: this.getNode().name,
		});
		return answer(res, 401, {
			error:
				check.reason === 'no-secret'
					? 'Webhook signing secret is not configured'
					: 'Invalid webhook signature',
		});
	}

	const parsed = parsePayload(raw);
	if (!parsed.ok) return answer(res, 400, { error: parsed.message });
	const { payload } = parsed;
	const events = this.getNodeParameter('events', []) as AutochatEvent[];
	if (!(events as string[]).includes(payload.event))
		return answer(res, 200, { received: true, ignored: `event ${payload.event} is not selected` });

	const { maxEventAgeMinutes = DEFAULT_MAX_EVENT_AGE_MINUTES } = this.getNodeParameter(
		'options',
		{},
	) as { maxEventAgeMinutes?: number };
	const maxAgeMs = Math.max(0, Number(maxEventAgeMinutes) || 0) * 60_000;
	const nowMs = Date.now();
	const age = checkEventAge(payload.timestamp, nowMs, { maxAgeMs, clockSkewMs: CLOCK_SKEW_MS });
	if (!age.ok) {
		this.logger.warn(`autoch.at CRM Trigger rejected a delivery: ${age.message}`, {
			node: this.getNode().name,
		});
		return answer(res, 400, { error: age.message });
	}

	const eventId = eventIdOf(payload, req.headers);
	const node = this.getNode();
	const admitted = await processReplayGuard.admit({
		scope: `${this.getWorkflow().id ?? ''}:${node.id}:${this.getMode()}`,
		memory: this.getWorkflowStaticData('node'),
		deliveryKeys: deliveryKeys(raw, payload.timestamp, eventId),
		nowMs,
		policy: retentionPolicy(maxAgeMs),
	});
	if (!admitted) return answer(res, 200, { received: true, duplicate: true });

	const client = clientOf(payload.data);
	const clientId = client.id === undefined || client.id === null ? undefined : String(client.id);
	const json: IDataObject = {
		event: payload.event,
		timestamp: payload.timestamp ?? null,
		client,
		syncLog: [
			syncLog('autochat', `receive-${payload.event.replace('.', '-')}`, 'success', {
				target: { type: 'client', id: clientId },
			}),
		],
	};
	if (eventId) json.eventId = eventId;
	return { workflowData: [this.helpers.returnJsonArray([json])] };
}
