/**
 * Outgoing webhooks (autoch.at CRM sends `client.created` / `client.updated`): the sandbox
 * POSTs `{ event, timestamp, data }` signed with `X-Webhook-Signature: sha256=<hex HMAC-SHA256
 * of the raw body>` to subscribed URLs. Targets must be on this machine (never the internet).
 */
import { createHmac } from 'node:crypto';

import type { VendorName } from './types';

export interface WebhookSubscription {
	vendor: VendorName;
	url: string;
	secret: string;
	/** Event names to send; empty = all. */
	events: string[];
}

export interface WebhookDelivery {
	vendor: VendorName;
	url: string;
	event: string;
	/** HTTP status of the receiver, or 0 when the request failed. */
	status: number;
	error?: string;
	at: string;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLocalUrl(raw: string): boolean {
	try {
		const url = new URL(raw);
		return (url.protocol === 'http:' || url.protocol === 'https:') && LOCAL_HOSTS.has(url.hostname);
	} catch {
		return false;
	}
}

export function signBody(secret: string, body: string): string {
	return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

interface ActiveSubscription extends WebhookSubscription {
	/** Deliveries to one receiver go out one after another, in event order. */
	queue: Promise<void>;
}

export class WebhookRegistry {
	private subscriptions: ActiveSubscription[] = [];
	private deliveries: WebhookDelivery[] = [];
	private inFlight = new Set<Promise<void>>();

	constructor(private readonly now: () => number) {}

	subscribe(subscription: WebhookSubscription): void {
		if (!isLocalUrl(subscription.url))
			throw new Error('webhook url must point at 127.0.0.1 or localhost');
		this.subscriptions.push({ ...subscription, queue: Promise.resolve() });
	}

	/** Subscriptions without their secrets. */
	list(): Array<Omit<WebhookSubscription, 'secret'>> {
		return this.subscriptions.map(({ vendor, url, events }) => ({ vendor, url, events }));
	}

	delivered(): WebhookDelivery[] {
		return [...this.deliveries];
	}

	/** Sends the event to every matching subscription without delaying the API answer. */
	emit(vendor: VendorName, event: string, data: unknown): void {
		for (const sub of this.subscriptions) {
			if (sub.vendor !== vendor || (sub.events.length > 0 && !sub.events.includes(event))) continue;
			const body = JSON.stringify({ event, timestamp: new Date(this.now()).toISOString(), data });
			const delivery = sub.queue.then(() => this.deliver(sub, event, body));
			sub.queue = delivery;
			this.inFlight.add(delivery);
			void delivery.finally(() => this.inFlight.delete(delivery));
		}
	}

	private async deliver(sub: WebhookSubscription, event: string, body: string): Promise<void> {
		const at = new Date(this.now()).toISOString();
		try {
			const response = await fetch(sub.url, {
				method: 'POST',
				headers: {
					'Content-Type': 'application/json',
					'X-Webhook-Signature': signBody(sub.secret, body),
				},
				body,
				signal: AbortSignal.timeout(10_000),
			});
			await response.arrayBuffer();
			this.deliveries.push({
				vendor: sub.vendor,
				url: sub.url,
				event,
				status: response.status,
				at,
			});
		} catch (error) {
			this.deliveries.push({
				vendor: sub.vendor,
				url: sub.url,
				event,
				status: 0,
				error: (error as Error).message,
				at,
			});
		}
	}

	/** Resolves when every delivery started so far has finished. */
	async settle(): Promise<void> {
		while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
	}

	clear(): void {
		this.subscriptions = [];
		this.deliveries = [];
	}
}
