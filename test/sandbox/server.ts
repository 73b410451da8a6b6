/**
 * A local stand-in for the CRM APIs the pack calls (HubSpot, Salesforce, Dynamics 365,
 * autoch.at CRM) on 127.0.0.1, one vendor per URL prefix, with in-memory records,
 * OAuth token endpoints, rate limits, fault injection and a request log.
 * Test infrastructure only: never part of dist.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createAdmin, handleAdminHttp, type SandboxAdmin } from './core/admin';
import { FaultRegistry } from './core/faults';
import { Pipeline } from './core/pipeline';
import { RequestLog } from './core/requestLog';
import { SandboxStore } from './core/store';
import { TokenRegistry } from './core/tokens';
import { WebhookRegistry } from './core/webhooks';
import type {
	RateLimitSetting,
	SandboxSchema,
	VendorContext,
	VendorModule,
	VendorName,
} from './core/types';
import { handleMailAdmin, isMailPath } from './mail/adminHttp';
import { startSmtpSink, type SmtpSink } from './mail/smtpSink';
import { createAutochatVendor } from './vendors/autochat';
import { createDynamicsVendor } from './vendors/dynamics';
import { createHubSpotVendor, type HubSpotSearchOptions } from './vendors/hubspot';
import { createSalesforceVendor, type SalesforceSearchOptions } from './vendors/salesforce';

export type { SandboxSchema, VendorName } from './core/types';
export type { SandboxAdmin } from './core/admin';
export type { FaultSpec, FaultKind } from './core/faults';
export type { LoggedRequest, Counters } from './core/requestLog';
export type { WebhookSubscription, WebhookDelivery } from './core/webhooks';
export { signBody as signWebhookBody } from './core/webhooks';
export { SandboxStore, type StoredRecord, type AssociationLink } from './core/store';
export { HUBSPOT_SEED_IDS, type HubSpotSearchOptions } from './vendors/hubspot';
export type { SalesforceSearchOptions } from './vendors/salesforce';
export { AUTOCHAT_SEED_IDS } from './vendors/autochat';
export * as demoData from './seed/demoData';

export interface SandboxOptions {
	/** 0 (default) = a random free port. */
	port?: number;
	/** Load the demo data at start. Default true. */
	seed?: boolean;
	/** Per-vendor sliding-window limits per token; `false` disables. Defaults: HubSpot 100/10 s, autoch.at 100/min, Dynamics 6000/5 min, Salesforce none. */
	rateLimits?: Partial<Record<VendorName, { requests: number; windowMs: number } | false>>;
	/** Lifetime of issued access tokens. Default 1800. */
	tokenTtlSeconds?: number;
	/** One line per vendor request (method, path, status, time) — never tokens or bodies. */
	log?: (line: string) => void;
	/** Clock for token expiry, rate-limit windows and timestamps (tests). Default Date.now. */
	now?: () => number;
	/** Opt-in HubSpot search realism: its own ~5/s limit and a delay before new records are searchable. Off by default. */
	hubspotSearch?: HubSpotSearchOptions;
	/** Opt-in Salesforce SOSL realism: a delay before new records are searchable (SOQL sees them at once). Off by default. */
	salesforceSearch?: SalesforceSearchOptions;
	/** `demo` (default): the demo's custom fields; `standard`: only the vendors' standard fields and a customised Salesforce Lead Status picklist. */
	schema?: SandboxSchema;
	/** Extra or replacement vendor modules (same name replaces a built-in). */
	vendors?: VendorModule[];
	/** Start the SMTP mail sink next to the HTTP server (`handle.mail`). Default true. */
	mail?: boolean;
}

export interface SandboxHandle {
	/** `http://127.0.0.1:<port>` */
	url: string;
	port: number;
	close(): Promise<void>;
	store: SandboxStore;
	admin: SandboxAdmin;
	/** The outbox: an SMTP server on 127.0.0.1 keeping every message (absent with `mail: false`). */
	mail?: SmtpSink;
	/** Where the mail sink listens, for an SMTP credential. */
	smtp?: { host: string; port: number };
}

function builtInVendors(options: SandboxOptions): VendorModule[] {
	const extra = options.vendors ?? [];
	const schema = options.schema ?? 'demo';
	const modules = [
		createHubSpotVendor(options.hubspotSearch, schema),
		createSalesforceVendor(options.salesforceSearch, schema),
		createDynamicsVendor(),
		createAutochatVendor(),
	];
	for (const module of extra) {
		const index = modules.findIndex((m) => m.name === module.name);
		if (index >= 0) modules[index] = module;
		else modules.push(module);
	}
	return modules;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
	const now = options.now ?? Date.now;
	const store = new SandboxStore(now);
	const tokens = new TokenRegistry(options.tokenTtlSeconds ?? 1800, now);
	let baseUrl = '';
	const webhooks = new WebhookRegistry(now);
	const context: VendorContext = {
		store,
		tokens,
		now,
		tokenTtlSeconds: options.tokenTtlSeconds ?? 1800,
		baseUrl: () => baseUrl,
		emit: (vendor, event, data) => webhooks.emit(vendor, event, data),
	};
	const vendors = builtInVendors(options);
	const faults = new FaultRegistry();
	const requests = new RequestLog();
	// The admin's rate-limit reset reaches into the pipeline, which is built right after.
	const admin = createAdmin({
		vendors,
		context,
		faults,
		requests,
		webhooks,
		resetRateLimits: () => pipeline.resetRateLimits(),
	});
	const loaded = vendors.map((v) => v.name);
	const mail = options.mail === false ? undefined : await startSmtpSink();
	const pipeline = new Pipeline({
		vendors,
		context,
		faults,
		requests,
		rateLimits: (options.rateLimits ?? {}) as Partial<Record<VendorName, RateLimitSetting | false>>,
		admin: (method, path, query, body) =>
			mail !== undefined && isMailPath(path)
				? handleMailAdmin(mail, method)
				: handleAdminHttp(admin, loaded, method, path, query, body),
		log: options.log,
	});
	if (options.seed !== false) admin.seed();

	const server: Server = createServer((req, res) => {
		pipeline.handle(req, res).catch((error: unknown) => {
			options.log?.(`sandbox failure: ${(error as Error).message}`);
			if (!res.headersSent) res.writeHead(500).end();
		});
	});
	// Keep-alive sockets would hold close() open; the sandbox closes them itself.
	server.keepAliveTimeout = 1000;
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
	});
	const port = (server.address() as AddressInfo).port;
	baseUrl = `http://127.0.0.1:${port}`;

	return {
		url: baseUrl,
		port,
		store,
		admin,
		mail,
		smtp: mail === undefined ? undefined : { host: mail.host, port: mail.port },
		close: async () => {
			await new Promise<void>((resolve, reject) => {
				server.close((error) => (error ? reject(error) : resolve()));
				server.closeAllConnections();
			});
			await mail?.close();
		},
	};
}
