/**
 * CRM ↔ CRM rows: the initial backfill of a HubSpot portal into Salesforce and the idle
 * incremental poll afterwards, through n8n's engine (in-process, as the other bench rows): CRM
 * Sync Trigger (full import, Include Associations) → CRM Record Sync, companies first so that
 * contacts and deals find their Account, then contacts, then deals with their contact roles.
 *
 * API calls are counted per side by the sandbox and compared with the batch minimum, built
 * from each CRM's batch sizes (see `hubspotMinimum` / `salesforceMinimum`); the goal is at most
 * 1.1 × the minimum. The idle poll (nothing changed) may cost at most one call per object.
 */
import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import { CrmRecordSync } from '../../nodes/CrmRecordSync/CrmRecordSync.node';
import { CrmSyncTrigger } from '../../nodes/CrmSyncTrigger/CrmSyncTrigger.node';
import { PollRunner } from '../nodes/harness/runPoll';
import type { EngineHarness } from '../nodes/harness/runWorkflow';
import {
	PACK,
	SANDBOX_AUTH,
	chainWorkflow,
	jsonOf,
	sandboxHarness,
	type SandboxCredentials,
} from '../nodes/support/packHarness';
import { defaultAssociationType } from '../sandbox/vendors/hubspot/objectTypes';
import type { HubSpotObjectType } from '../sandbox/vendors/hubspot/objectTypes';
import { startSandbox, type SandboxHandle, type VendorName } from '../sandbox/server';

export interface BackfillSizes {
	contacts: number;
	companies: number;
	deals: number;
}

export interface CrmSyncRow {
	scenario: string;
	crm: string;
	records: number;
	apiCalls: number;
	physicalMinimum: number;
	perItemPattern: number;
	wallMs: number;
	ratio: number;
	note: string;
}

/** HubSpot: search pages hold up to 200 records; a v4 associations batch read takes 1,000 ids. */
const HUBSPOT_SEARCH_PAGE = 200;
const HUBSPOT_ASSOCIATION_BATCH = 1000;
/**
 * Salesforce: sObject Collections write 200 records per call; one Composite call carries at
 * most 5 query subrequests; a lookup condition holds at most 100 e-mails (or 20 website
 * domains, each a LIKE term) so that the subrequest's URL stays within Salesforce's bound.
 */
const SALESFORCE_COLLECTION = 200;
const SALESFORCE_QUERIES_PER_COMPOSITE = 5;
const SALESFORCE_EMAILS_PER_QUERY = 100;
const SALESFORCE_DOMAINS_PER_QUERY = 20;
/** Contact roles each bench deal gets. */
const CONTACTS_PER_DEAL = 2;

const pages = (records: number, size: number) => Math.ceil(records / size);

/**
 * The fewest HubSpot calls a backfill can make: the three listings page by page, the
 * associations in batches of 1,000 (contact → company; deal → company and deal → contact),
 * and one property read per object to check the mappings.
 */
export function hubspotMinimum(s: BackfillSizes): number {
	const listing =
		pages(s.contacts, HUBSPOT_SEARCH_PAGE) +
		pages(s.companies, HUBSPOT_SEARCH_PAGE) +
		pages(s.deals, HUBSPOT_SEARCH_PAGE);
	const associations =
		pages(s.contacts, HUBSPOT_ASSOCIATION_BATCH) + 2 * pages(s.deals, HUBSPOT_ASSOCIATION_BATCH);
	return listing + associations + 3;
}

/**
 * The fewest Salesforce calls a backfill can make without creating duplicates: the people
 * looked up by e-mail over Contact and Lead and the companies by website domain (queries packed
 * five to a Composite call), every record created 200 to a call (contact roles included), and
 * one describe per object written or matched (Contact, Lead, Account, Opportunity).
 */
export function salesforceMinimum(s: BackfillSizes): number {
	const queries =
		2 * pages(s.contacts, SALESFORCE_EMAILS_PER_QUERY) +
		pages(s.companies, SALESFORCE_DOMAINS_PER_QUERY);
	const lookups = pages(queries, SALESFORCE_QUERIES_PER_COMPOSITE);
	const writes =
		pages(s.contacts, SALESFORCE_COLLECTION) +
		pages(s.companies, SALESFORCE_COLLECTION) +
		pages(s.deals, SALESFORCE_COLLECTION) +
		pages(s.deals * CONTACTS_PER_DEAL, SALESFORCE_COLLECTION);
	return lookups + writes + 4;
}

/**
 * The one-call-per-record pattern: HubSpot one read per record and one per associated kind;
 * Salesforce one lookup per person and object (Contact, Lead) and per company, and one create
 * per record and per contact role.
 */
function perItemCalls(vendor: 'hubspot' | 'salesforce', s: BackfillSizes): number {
	const records = s.contacts + s.companies + s.deals;
	if (vendor === 'hubspot') return records + s.contacts + 2 * s.deals;
	return 2 * s.contacts + s.companies + records + CONTACTS_PER_DEAL * s.deals;
}

const ratioOf = (calls: number, minimum: number) =>
	minimum > 0 ? Math.round((calls / minimum) * 100) / 100 : 0;

/** Calls a vendor received, without the OAuth token requests. */
function apiCalls(sandbox: SandboxHandle, vendor: VendorName): number {
	return sandbox.admin.requests(vendor).filter((r) => !r.path.includes('/token')).length;
}

/** "route: n" of a vendor's calls, most frequent first: where the calls went. */
function breakdown(sandbox: SandboxHandle, vendor: VendorName): string {
	const routes = sandbox.admin.counters().vendors[vendor]?.routes ?? {};
	return Object.entries(routes)
		.filter(([route]) => !route.includes('/token'))
		.sort((a, b) => b[1] - a[1])
		.map(([route, count]) => `${route}: ${count}`)
		.join('; ');
}

function link(
	sandbox: SandboxHandle,
	fromType: HubSpotObjectType,
	fromId: string,
	toType: HubSpotObjectType,
	toId: string,
): void {
	const type = defaultAssociationType(fromType, toType);
	if (!type) throw new Error(`no default association ${fromType} → ${toType}`);
	const category = 'HUBSPOT_DEFINED';
	sandbox.admin.linkRecords('hubspot', {
		fromType,
		fromId,
		toType,
		toId,
		typeId: type.typeId,
		category,
	});
	sandbox.admin.linkRecords('hubspot', {
		fromType: toType,
		fromId: toId,
		toType: fromType,
		toId: fromId,
		typeId: type.inverseTypeId,
		category,
	});
}

/**
 * The portal: companies with a website domain, contacts with an e-mail at their company, deals
 * of a company with two of its contacts; changed a second apart per 200 records (a real
 * portal's records were not all changed in the same millisecond).
 */
function plantPortal(sandbox: SandboxHandle, s: BackfillSizes, clock: { fixed?: number }): void {
	const inChunks = <T>(count: number, make: (i: number) => T, store: (rows: T[]) => void) => {
		for (let start = 0; start < count; start += HUBSPOT_SEARCH_PAGE) {
			const size = Math.min(HUBSPOT_SEARCH_PAGE, count - start);
			store(Array.from({ length: size }, (_, i) => make(start + i)));
			clock.fixed = (clock.fixed ?? Date.now()) + 1000;
		}
	};
	const put = (type: HubSpotObjectType) => (rows: IDataObject[]) =>
		sandbox.admin.putRecords('hubspot', type, rows).map((record) => record.id);
	const companies: string[] = [];
	inChunks(
		s.companies,
		(i) => ({ name: `Backfill Company ${i}`, domain: `backfill-${i}.example` }),
		(rows) => companies.push(...put('companies')(rows)),
	);
	const contacts: string[] = [];
	inChunks(
		s.contacts,
		(i) => ({
			firstname: 'Backfill',
			lastname: `Person ${i}`,
			email: `person.${i}@backfill-${i % s.companies}.example`,
		}),
		(rows) => contacts.push(...put('contacts')(rows)),
	);
	contacts.forEach((id, i) =>
		link(sandbox, 'contacts', id, 'companies', companies[i % s.companies]),
	);
	const deals: string[] = [];
	inChunks(
		s.deals,
		(i) => ({
			dealname: `Backfill Deal ${i}`,
			dealstage: 'closedwon',
			closedate: '2026-09-01T00:00:00.000Z',
			amount: String(1000 + i),
		}),
		(rows) => deals.push(...put('deals')(rows)),
	);
	deals.forEach((id, i) => {
		const company = i % s.companies;
		link(sandbox, 'deals', id, 'companies', companies[company]);
		// Two contacts of the deal's company (contact j works at company j mod companies).
		for (let k = 0; k < CONTACTS_PER_DEAL; k++) {
			const contact = (company + k * s.companies) % s.contacts;
			link(sandbox, 'deals', id, 'contacts', contacts[contact]);
		}
	});
}

type Rule = 'twoWay' | 'preferTarget' | 'alwaysSource';
const map = (sourceField: string, targetField: string, rule: Rule = 'twoWay') => ({
	sourceField,
	targetField,
	rule,
});

interface KindPlan {
	hubspotObject: HubSpotObjectType;
	objectKind: 'company' | 'contact' | 'deal';
	fields: string[];
	recordSync: IDataObject;
}

/** Companies first, so contacts and deals find their Account; deals last, for their contact roles. */
const KINDS: KindPlan[] = [
	{
		hubspotObject: 'companies',
		objectKind: 'company',
		fields: ['name', 'domain'],
		recordSync: { mappings: { mapping: [map('name', 'Name'), map('domain', 'Website')] } },
	},
	{
		hubspotObject: 'contacts',
		objectKind: 'contact',
		fields: ['firstname', 'lastname', 'email'],
		recordSync: {
			newPersonKind: 'contact',
			mappings: {
				mapping: [
					map('firstname', 'FirstName'),
					map('lastname', 'LastName'),
					map('email', 'Email'),
				],
			},
		},
	},
	{
		hubspotObject: 'deals',
		objectKind: 'deal',
		fields: ['dealname', 'dealstage', 'closedate', 'amount'],
		recordSync: {
			mappings: {
				mapping: [
					map('dealname', 'Name'),
					map('dealstage', 'StageName'),
					map('closedate', 'CloseDate'),
					map('amount', 'Amount'),
				],
			},
		},
	},
];

function triggerRunner(
	harness: EngineHarness,
	credentials: SandboxCredentials,
	crm: 'hubspot' | 'salesforce',
	parameters: IDataObject,
): PollRunner {
	const type = `${PACK}.crmSyncTrigger`;
	const node: INode = {
		id: `bench-trigger-${crm}-${String(parameters.objectType)}`,
		name: 'CRM Sync Trigger',
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters: { ...SANDBOX_AUTH[crm], ...parameters },
		credentials,
	};
	return new PollRunner(harness.credentials, type, new CrmSyncTrigger(), node);
}

interface SyncTally {
	records: number;
	actions: Record<string, number>;
	unresolvedAssociations: number;
}

async function recordSync(
	harness: EngineHarness,
	credentials: SandboxCredentials,
	plan: KindPlan,
	items: INodeExecutionData[],
	tally: SyncTally,
): Promise<void> {
	const run = await harness.run(
		chainWorkflow(
			items.map((item) => item.json),
			[
				{
					name: 'CRM Record Sync',
					packNode: 'crmRecordSync',
					parameters: {
						direction: 'hubspotToSalesforce',
						hubspotAuthentication: SANDBOX_AUTH.hubspot.hubspotAuthentication,
						salesforceAuthentication: SANDBOX_AUTH.salesforce.salesforceAuthentication,
						objectKind: plan.objectKind,
						...plan.recordSync,
					},
					settings: { onError: 'continueRegularOutput' },
				},
			],
			credentials,
		),
	);
	for (const json of jsonOf(run, 'CRM Record Sync')) {
		const sync = json.recordSync as
			{ action?: string; associations?: Array<{ status: string }> } | undefined;
		const action = sync?.action ?? 'failed';
		tally.records++;
		tally.actions[action] = (tally.actions[action] ?? 0) + 1;
		tally.unresolvedAssociations += (sync?.associations ?? []).filter(
			(a) => a.status !== 'linked',
		).length;
	}
}

/**
 * Polls until a poll finds nothing, handing each poll's items on; returns the calls of that
 * last, empty poll per vendor (it belongs to the idle polls, not to the import).
 */
async function pollUntilIdle(
	runner: PollRunner,
	sandbox: SandboxHandle,
	onItems: (items: INodeExecutionData[]) => Promise<void>,
): Promise<Record<'hubspot' | 'salesforce', number>> {
	for (let polls = 0; polls < 200; polls++) {
		const before = {
			hubspot: apiCalls(sandbox, 'hubspot'),
			salesforce: apiCalls(sandbox, 'salesforce'),
		};
		const result = await runner.poll();
		if (result.output === null)
			return {
				hubspot: apiCalls(sandbox, 'hubspot') - before.hubspot,
				salesforce: apiCalls(sandbox, 'salesforce') - before.salesforce,
			};
		await onItems(result.items);
	}
	throw new Error('the trigger never caught up');
}

/** The Salesforce objects a two-way sync watches, and their kinds. */
const SALESFORCE_OBJECTS = ['Lead', 'Contact', 'Account', 'Opportunity'];

export async function crmSyncRows(
	s: BackfillSizes,
	log: (line: string) => void,
): Promise<CrmSyncRow[]> {
	const clock: { fixed?: number } = { fixed: Date.now() - 6 * 3_600_000 };
	const sandbox = await startSandbox({
		port: 0,
		seed: false,
		mail: false,
		now: () => clock.fixed ?? Date.now(),
		rateLimits: { hubspot: { requests: 100, windowMs: 10_000 }, salesforce: false },
	});
	const rows: CrmSyncRow[] = [];
	try {
		plantPortal(sandbox, s, clock);
		clock.fixed = undefined;
		const { harness, credentials } = sandboxHarness(
			{ crmSyncTrigger: new CrmSyncTrigger(), crmRecordSync: new CrmRecordSync() },
			sandbox.url,
		);
		const hubspotTriggers = KINDS.map((plan) => ({
			plan,
			runner: triggerRunner(harness, credentials, 'hubspot', {
				objectType: plan.hubspotObject,
				firstPoll: 'everything',
				includeAssociations: plan.objectKind !== 'company',
				extraFields: plan.fields,
				options: { pageSize: HUBSPOT_SEARCH_PAGE },
			}),
		}));

		// 1. The backfill.
		sandbox.admin.clearRequests();
		const tally: SyncTally = { records: 0, actions: {}, unresolvedAssociations: 0 };
		const start = performance.now();
		const emptyPolls = { hubspot: 0, salesforce: 0 };
		for (const { plan, runner } of hubspotTriggers) {
			const empty = await pollUntilIdle(runner, sandbox, (items) =>
				recordSync(harness, credentials, plan, items, tally),
			);
			emptyPolls.hubspot += empty.hubspot;
			emptyPolls.salesforce += empty.salesforce;
		}
		const wallMs = Math.round(performance.now() - start);
		const records = s.contacts + s.companies + s.deals;
		const created = (type: string) => sandbox.store.list('salesforce', type).length;
		const outcome = `${tally.records} items: ${Object.entries(tally.actions)
			.map(([action, n]) => `${n} ${action}`)
			.join(
				', ',
			)}; ${tally.unresolvedAssociations} associations not linked; Salesforce holds ${created('Account')} Accounts, ${created('Contact')} Contacts, ${created('Opportunity')} Opportunities, ${created('OpportunityContactRole')} contact roles`;
		log(`backfill: ${outcome}`);
		for (const [vendor, minimum] of [
			['hubspot', hubspotMinimum(s)],
			['salesforce', salesforceMinimum(s)],
		] as const) {
			const calls = apiCalls(sandbox, vendor) - emptyPolls[vendor];
			log(
				`backfill ${vendor} calls by route (the final empty poll of each trigger included here, not in the row: ${emptyPolls[vendor]}): ${breakdown(sandbox, vendor)}`,
			);
			rows.push({
				scenario: 'initial backfill HubSpot → Salesforce (Sync Trigger → Record Sync)',
				crm: vendor,
				records,
				apiCalls: calls,
				physicalMinimum: minimum,
				perItemPattern: perItemCalls(vendor, s),
				wallMs,
				ratio: ratioOf(calls, minimum),
				note: `${ratioOf(calls, minimum)} × the batch minimum (goal ≤ 1.1); ${outcome}`,
			});
		}

		// 2. The idle poll on HubSpot: every watched object once, nothing changed.
		sandbox.admin.clearRequests();
		let idleStart = performance.now();
		for (const { runner } of hubspotTriggers) {
			const idle = await runner.poll();
			if (idle.output !== null) throw new Error('the idle HubSpot poll found changes');
		}
		const hubspotIdle = apiCalls(sandbox, 'hubspot');
		rows.push({
			scenario: 'idle incremental poll (no changes)',
			crm: 'hubspot',
			records: 0,
			apiCalls: hubspotIdle,
			physicalMinimum: KINDS.length,
			perItemPattern: 0,
			wallMs: Math.round(performance.now() - idleStart),
			ratio: ratioOf(hubspotIdle, KINDS.length),
			note: `${KINDS.map((k) => k.hubspotObject).join(', ')}: ${hubspotIdle} calls for ${KINDS.length} objects (budget 1 each); ${breakdown(sandbox, 'hubspot')}`,
		});

		// 3. The idle poll on Salesforce: watchers that read the backfill's records first.
		const salesforceTriggers = SALESFORCE_OBJECTS.map((objectType) =>
			triggerRunner(harness, credentials, 'salesforce', {
				objectType,
				firstPoll: 'everything',
				options: { settleSeconds: 0 },
			}),
		);
		for (const runner of salesforceTriggers)
			await pollUntilIdle(runner, sandbox, async () => undefined);
		sandbox.admin.clearRequests();
		idleStart = performance.now();
		for (const runner of salesforceTriggers) {
			const idle = await runner.poll();
			if (idle.output !== null) throw new Error('the idle Salesforce poll found changes');
		}
		const salesforceIdle = apiCalls(sandbox, 'salesforce');
		rows.push({
			scenario: 'idle incremental poll (no changes)',
			crm: 'salesforce',
			records: 0,
			apiCalls: salesforceIdle,
			physicalMinimum: SALESFORCE_OBJECTS.length,
			perItemPattern: 0,
			wallMs: Math.round(performance.now() - idleStart),
			ratio: ratioOf(salesforceIdle, SALESFORCE_OBJECTS.length),
			note: `${SALESFORCE_OBJECTS.join(', ')}: ${salesforceIdle} calls for ${SALESFORCE_OBJECTS.length} objects (budget 1 each); ${breakdown(sandbox, 'salesforce')}`,
		});
	} finally {
		await sandbox.close();
	}
	return rows;
}
