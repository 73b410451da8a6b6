/**
 * Admin operations, in-process (`handle.admin`) and over HTTP (`/__admin/...`).
 * Admin calls are neither rate limited nor written to the request log.
 */
import { parseFaultSpec, type FaultRegistry, type FaultSpec } from './faults';
import type { Counters, LoggedRequest, RequestLog } from './requestLog';
import type { AssociationLink, StoredRecord } from './store';
import type { WebhookDelivery, WebhookRegistry, WebhookSubscription } from './webhooks';
import {
	VENDOR_NAMES,
	type SandboxResponse,
	type VendorContext,
	type VendorModule,
	type VendorName,
} from './types';

export interface SandboxAdmin {
	/** Empties every vendor's records (tokens, faults and the request log are kept). */
	reset(): void;
	/** Replaces the records of one vendor (or all) with the demo data. */
	seed(vendor?: VendorName): void;
	addFault(spec: FaultSpec): void;
	clearFaults(): void;
	pendingFaults(): Array<FaultSpec & { remaining: number }>;
	requests(vendor?: VendorName): LoggedRequest[];
	clearRequests(): void;
	counters(): Counters;
	records(vendor: VendorName, objectType: string): StoredRecord[];
	/** Stores records as given (`id` optional; an existing id is merged), bypassing API validation. */
	putRecords(
		vendor: VendorName,
		objectType: string,
		records: Array<Record<string, unknown>>,
	): StoredRecord[];
	/** Deletes records as the vendor's delete would (logged, so deletion listings show them); returns how many existed. */
	deleteRecords(vendor: VendorName, objectType: string, ids: string[]): number;
	/** Stores an association link (HubSpot-style typed links) between existing records. */
	linkRecords(vendor: VendorName, link: AssociationLink): void;
	/** An access token as the vendor's token endpoint would issue it. */
	issueToken(vendor: VendorName): string;
	expireTokens(vendor: VendorName): number;
	/**
	 * The vendor's token endpoint refuses this client secret from now on (`invalid_client`),
	 * or every secret of the client id when none is given; tokens issued before still work
	 * until they expire.
	 */
	revokeClient(vendor: VendorName, clientId: string, clientSecret?: string): void;
	/** Accepts every revoked client again. */
	restoreClients(): void;
	/** Forgets every rate-limit window. */
	resetRateLimits(): void;
	/** Subscribes a local receiver to a vendor's webhook events (autoch.at client.created / client.updated). */
	addWebhook(subscription: WebhookSubscription): void;
	webhooks(): {
		subscriptions: Array<Omit<WebhookSubscription, 'secret'>>;
		deliveries: WebhookDelivery[];
	};
	/** Waits until every webhook sent so far has been delivered (or failed). */
	settleWebhooks(): Promise<void>;
	clearWebhooks(): void;
	/** Changes a vendor's realism settings (e.g. HubSpot's search-index lag); throws on bad input. */
	configure(vendor: VendorName, settings: Record<string, unknown>): void;
	/** Adds records to a list/segment (HubSpot list, Salesforce campaign, Dynamics marketing list). */
	addMembers(vendor: VendorName, segmentId: string, recordIds: string[]): void;
	/** Takes records out of a list/segment. */
	removeMembers(vendor: VendorName, segmentId: string, recordIds: string[]): void;
}

export interface AdminDeps {
	vendors: VendorModule[];
	context: VendorContext;
	faults: FaultRegistry;
	requests: RequestLog;
	webhooks: WebhookRegistry;
	resetRateLimits(): void;
}

function changeMembers(
	module: VendorModule,
	context: VendorContext,
	segmentId: string,
	change: { add: string[]; remove: string[] },
): void {
	if (!module.changeMembers) throw new Error(`the ${module.name} sandbox has no lists`);
	const problem = module.changeMembers(context, segmentId, change);
	if (problem) throw new Error(problem);
}

const idList = (value: unknown): string[] | undefined =>
	value === undefined
		? []
		: Array.isArray(value) && value.every((id) => typeof id === 'string' || typeof id === 'number')
			? value.map(String)
			: undefined;

export function createAdmin(deps: AdminDeps): SandboxAdmin {
	const { context, faults, requests } = deps;
	const vendorModule = (name: VendorName) => {
		const found = deps.vendors.find((v) => v.name === name);
		if (!found) throw new Error(`vendor ${name} is not loaded`);
		return found;
	};
	return {
		reset: () => context.store.clear(),
		seed(vendor) {
			for (const v of deps.vendors.filter((m) => !vendor || m.name === vendor)) {
				context.store.clear(v.name);
				v.seed(context);
			}
		},
		addFault: (spec) => faults.add(spec),
		clearFaults: () => faults.clear(),
		pendingFaults: () => faults.pending(),
		requests: (vendor) => requests.list(vendor),
		clearRequests: () => requests.clear(),
		counters: () => requests.counters(),
		records: (vendor, objectType) => context.store.list(vendor, objectType),
		putRecords(vendor, objectType, records) {
			const module = vendorModule(vendor);
			return records.map((input) => {
				const { id, ...rest } = input;
				const fields = module.prepareAdminRecord?.(objectType, rest, context) ?? rest;
				const recordId =
					id === undefined || id === null ? module.newId(objectType, context) : String(id);
				const existing = context.store.get(vendor, objectType, recordId);
				const record = existing
					? context.store.update(vendor, objectType, recordId, fields)!
					: context.store.insert(vendor, objectType, recordId, fields);
				module.afterAdminRecord?.(objectType, record, context);
				return record;
			});
		},
		deleteRecords: (vendor, objectType, ids) =>
			ids.filter((id) => context.store.remove(vendor, objectType, id)).length,
		linkRecords: (vendor, link) => context.store.link(vendor, link),
		issueToken: (vendor) => context.tokens.issue(vendor, false).accessToken,
		expireTokens: (vendor) => context.tokens.expireAll(vendor),
		revokeClient: (vendor, clientId, clientSecret) =>
			context.tokens.revokeClient(vendor, clientId, clientSecret),
		restoreClients: () => context.tokens.restoreClients(),
		resetRateLimits: () => deps.resetRateLimits(),
		addWebhook: (subscription) => deps.webhooks.subscribe(subscription),
		webhooks: () => ({
			subscriptions: deps.webhooks.list(),
			deliveries: deps.webhooks.delivered(),
		}),
		settleWebhooks: () => deps.webhooks.settle(),
		clearWebhooks: () => deps.webhooks.clear(),
		addMembers(vendor, segmentId, recordIds) {
			changeMembers(vendorModule(vendor), context, segmentId, { add: recordIds, remove: [] });
		},
		removeMembers(vendor, segmentId, recordIds) {
			changeMembers(vendorModule(vendor), context, segmentId, { add: [], remove: recordIds });
		},
		configure(vendor, settings) {
			const module = vendorModule(vendor);
			if (!module.configure) throw new Error(`the ${vendor} sandbox has no settings`);
			const problem = module.configure(settings);
			if (problem) throw new Error(problem);
		},
	};
}

const ok = (body: unknown, status = 200): SandboxResponse => ({ status, body });
const bad = (message: string, status = 400): SandboxResponse => ({
	status,
	body: { error: message },
});

function asVendor(raw: string | null | undefined): VendorName | undefined {
	return VENDOR_NAMES.find((v) => v === raw);
}

/** The HTTP face of the admin API. */
export async function handleAdminHttp(
	admin: SandboxAdmin,
	loaded: readonly VendorName[],
	method: string,
	path: string,
	query: URLSearchParams,
	body: unknown,
): Promise<SandboxResponse> {
	const parts = path.split('/').filter(Boolean).slice(1); // drop "__admin"
	const [resource, vendorPart, ...rest] = parts;
	const route = `${method} ${resource ?? ''}`;
	try {
		switch (route) {
			case 'POST reset':
				admin.reset();
				return ok({ ok: true });
			case 'POST seed': {
				const vendor = asVendor(
					(body as { vendor?: string } | undefined)?.vendor ?? query.get('vendor'),
				);
				admin.seed(vendor);
				return ok({ ok: true });
			}
			case 'POST faults': {
				const spec = parseFaultSpec(body, loaded);
				if (typeof spec === 'string') return bad(spec);
				admin.addFault(spec);
				return ok({ ok: true, pending: admin.pendingFaults() }, 201);
			}
			case 'GET faults':
				return ok({ pending: admin.pendingFaults() });
			case 'DELETE faults':
				admin.clearFaults();
				return ok({ ok: true });
			case 'GET requests': {
				const raw = query.get('vendor');
				const vendor = asVendor(raw);
				if (raw && !vendor) return bad(`unknown vendor ${raw}`);
				return ok({ requests: admin.requests(vendor) });
			}
			case 'DELETE requests':
				admin.clearRequests();
				return ok({ ok: true });
			case 'GET counters':
				return ok(admin.counters());
			case 'DELETE ratelimits':
				admin.resetRateLimits();
				return ok({ ok: true });
			case 'POST tokens': {
				const vendor = asVendor((body as { vendor?: string } | undefined)?.vendor);
				if (!vendor || !loaded.includes(vendor)) return bad('vendor is required');
				return ok({ access_token: admin.issueToken(vendor), token_type: 'Bearer' }, 201);
			}
			case 'POST revocations': {
				const raw = (body ?? {}) as Record<string, unknown>;
				const vendor = asVendor(typeof raw.vendor === 'string' ? raw.vendor : undefined);
				if (!vendor || !loaded.includes(vendor)) return bad('vendor is required');
				if (typeof raw.clientId !== 'string' || raw.clientId === '')
					return bad('clientId is required');
				if (raw.clientSecret !== undefined && typeof raw.clientSecret !== 'string')
					return bad('clientSecret must be a string');
				admin.revokeClient(vendor, raw.clientId, raw.clientSecret);
				return ok({ ok: true }, 201);
			}
			case 'DELETE revocations':
				admin.restoreClients();
				return ok({ ok: true });
			case 'POST webhooks': {
				const raw = (body ?? {}) as Record<string, unknown>;
				const vendor = asVendor(typeof raw.vendor === 'string' ? raw.vendor : undefined);
				if (!vendor || !loaded.includes(vendor)) return bad('vendor is required');
				if (typeof raw.url !== 'string' || typeof raw.secret !== 'string' || raw.secret === '')
					return bad('url and secret are required');
				const events = Array.isArray(raw.events)
					? raw.events.filter((e): e is string => typeof e === 'string')
					: [];
				admin.addWebhook({ vendor, url: raw.url, secret: raw.secret, events });
				return ok({ ok: true, subscriptions: admin.webhooks().subscriptions }, 201);
			}
			case 'GET webhooks':
				return ok(admin.webhooks());
			case 'DELETE webhooks':
				admin.clearWebhooks();
				return ok({ ok: true });
			case 'POST settings': {
				const vendor = asVendor(vendorPart);
				if (!vendor || !loaded.includes(vendor)) return bad('use /__admin/settings/<vendor>');
				if (typeof body !== 'object' || body === null || Array.isArray(body))
					return bad('body must be a JSON object');
				admin.configure(vendor, body as Record<string, unknown>);
				return ok({ ok: true });
			}
			case 'POST members': {
				const vendor = asVendor(vendorPart);
				const segmentId = rest.join('/');
				if (!vendor || !loaded.includes(vendor) || !segmentId)
					return bad('use /__admin/members/<vendor>/<listId>');
				const raw = (body ?? {}) as Record<string, unknown>;
				const add = idList(raw.add);
				const remove = idList(raw.remove);
				if (!add || !remove) return bad('add and remove must be arrays of record ids');
				if (add.length > 0) admin.addMembers(vendor, segmentId, add);
				if (remove.length > 0) admin.removeMembers(vendor, segmentId, remove);
				return ok({ ok: true });
			}
			case 'GET records':
			case 'POST records': {
				const vendor = asVendor(vendorPart);
				const objectType = rest.join('/');
				if (!vendor || !loaded.includes(vendor) || !objectType)
					return bad('use /__admin/records/<vendor>/<objectType>');
				if (method === 'GET') return ok({ records: admin.records(vendor, objectType) });
				const list = Array.isArray(body)
					? body
					: (body as { records?: unknown } | undefined)?.records;
				if (
					!Array.isArray(list) ||
					!list.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r))
				)
					return bad('body must be an array of records or { records: [...] }');
				return ok(
					{ records: admin.putRecords(vendor, objectType, list as Array<Record<string, unknown>>) },
					201,
				);
			}
			default:
				return bad(`unknown admin route ${method} ${path}`, 404);
		}
	} catch (error) {
		return bad((error as Error).message);
	}
}
