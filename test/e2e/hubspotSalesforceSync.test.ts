/**
 * hubspot-salesforce-sync.json in a real n8n against the CRM sandbox, imported as a user
 * imports it: a HubSpot contact becomes one Salesforce Lead in one poll, a Salesforce edit
 * comes back to HubSpot by its rule and nothing echoes over ten polls each way (write requests
 * counted in the sandbox's request log), a won deal moves its contacts' HubSpot lifecycle stage
 * forward and never back, deletions and state/country picklists follow Settings, and a
 * 10,000-contact backfill stops at the Salesforce daily API cap with a sync-log row saying so,
 * the rest synced on the next day's run — each record once.
 *
 * Polls: the workflow is deactivated and activated again (n8n polls every trigger on
 * activation); a poll has happened once the sandbox logged each trigger's two listings.
 */
import {
	dataTableRowsByName,
	RECORD_LINKS_TABLE,
	SYNC_LOGS_TABLE,
	SYNC_QUEUE_TABLE,
} from '../../scripts/runtime/dataTables';
import { waitFor } from '../../scripts/runtime/waitFor';
import type { LoggedRequest } from '../sandbox/core/requestLog';
import type { SandboxHandle } from '../sandbox/server';
import { defaultAssociationType } from '../sandbox/vendors/hubspot/objectTypes';
import type { HubSpotObjectType } from '../sandbox/vendors/hubspot/objectTypes';
import {
	editWorkflow,
	setAssignments,
	startE2eStack,
	STACK_START_TIMEOUT_MS,
	type E2eStack,
	type SyncLogRow,
} from './harness';

const FILE = 'hubspot-salesforce-sync.json';

let stack: E2eStack;
let sandbox: SandboxHandle;
let workflowId: string;

/** Each trigger's two listings per poll (changes, deletions): only the triggers make these. */
const TRIGGER_LISTINGS: Array<(request: LoggedRequest) => boolean> = [
	...['contacts', 'companies', 'deals'].flatMap((type) => [
		(r: LoggedRequest) =>
			r.vendor === 'hubspot' &&
			r.method === 'GET' &&
			r.path.endsWith(`/crm/v3/objects/${type}`) &&
			r.query.archived === 'true',
		(r: LoggedRequest) =>
			r.vendor === 'hubspot' &&
			r.method === 'POST' &&
			r.path.endsWith(`/crm/v3/objects/${type}/search`) &&
			/lastmodifieddate$/.test(
				String((r.body as { sorts?: Array<{ propertyName?: string }> })?.sorts?.[0]?.propertyName),
			),
	]),
	...['Lead', 'Contact', 'Account', 'Opportunity'].flatMap((type) => [
		(r: LoggedRequest) =>
			r.vendor === 'salesforce' &&
			r.method === 'GET' &&
			r.path.includes(`/sobjects/${type}/deleted`),
		(r: LoggedRequest) =>
			r.vendor === 'salesforce' &&
			r.method === 'GET' &&
			r.path.endsWith('/query') &&
			String(r.query.q).includes(`FROM ${type} WHERE SystemModstamp >=`),
	]),
];

beforeAll(async () => {
	// The demo org has State and Country/Territory Picklists (CountryCode) for the picklist check;
	// the template maps only standard fields, which both orgs have.
	stack = await startE2eStack({ sandboxSchema: 'demo' });
	sandbox = stack.sandbox!;
	for (const workflow of stack.workflows)
		if (workflow.file !== FILE && workflow.active)
			await stack.api.request('POST', `/workflows/${workflow.id}/deactivate`);
	const workflow = stack.workflows.find((w) => w.file === FILE);
	expect(workflow?.active).toBe(true);
	workflowId = workflow!.id;
	// The sandbox's search index has no lag: changes are listed at once, not after the 30 s settle delay.
	await editWorkflow(stack, workflowId, (saved) => {
		for (const node of saved.nodes.filter((n) => n.type.endsWith('.crmSyncTrigger')))
			node.parameters.options = {
				...(node.parameters.options as Record<string, unknown>),
				settleSeconds: 0,
			};
	});
	await poll();
}, STACK_START_TIMEOUT_MS);

afterAll(async () => {
	await stack?.teardown();
});

/** How many executions the workflow has had, and whether one is running. */
async function executionState(): Promise<string> {
	const count = async (query: string) =>
		(
			await stack.api.request<{ data: unknown[] }>(
				'GET',
				`/executions?workflowId=${workflowId}&limit=250${query}`,
			)
		).data.length;
	return `${await count('')}/${await count('&status=running')}`;
}

/**
 * Until no execution of the workflow runs and their count stays the same over three looks
 * (n8n registers an execution a moment after its poll answered); returns the last look.
 */
async function settled(): Promise<string> {
	let stable = 0;
	let last = '';
	await waitFor(
		async () => {
			const state = await executionState();
			stable = state === last && state.endsWith('/0') ? stable + 1 : 0;
			last = state;
			return stable >= 3 ? true : undefined;
		},
		{ timeoutMs: 400_000, intervalMs: 300, what: 'the executions of a poll to end' },
	);
	return last;
}

/**
 * One poll of every trigger: waits until each listed its changes and its deletions (only the
 * triggers make those requests), then until the executions it started are over.
 */
async function poll(): Promise<void> {
	const from = sandbox.admin.requests().length;
	await stack.api.request('POST', `/workflows/${workflowId}/deactivate`);
	await stack.api.request('POST', `/workflows/${workflowId}/activate`);
	await waitFor(
		async () => {
			const since = sandbox.admin.requests().slice(from);
			return TRIGGER_LISTINGS.every((listed) => since.some(listed)) ? true : undefined;
		},
		{ timeoutMs: 60_000, intervalMs: 100, what: 'a poll of every trigger' },
	);
	await settled();
}

/** Write requests in a slice of the sandbox log (a Composite request counts its non-GET parts). */
function writes(requests: LoggedRequest[], vendor: 'hubspot' | 'salesforce'): number {
	let count = 0;
	for (const r of requests.filter((request) => request.vendor === vendor)) {
		if (r.method === 'GET' || r.path.includes('/oauth') || r.path.endsWith('/token')) continue;
		if (vendor === 'hubspot') {
			if (/\/search$|\/batch\/read$/.test(r.path)) continue;
			count++;
			continue;
		}
		if (r.path.endsWith('/composite')) {
			const parts = (r.body as { compositeRequest?: Array<{ method?: string }> })?.compositeRequest;
			count += (parts ?? []).filter((part) => part.method !== 'GET').length;
			continue;
		}
		if (r.path.includes('/sobjects') || r.path.includes('/composite/')) count++;
	}
	return count;
}

const emailsOf = (vendor: 'hubspot' | 'salesforce', type: string, field: string, email: string) =>
	sandbox.store
		.list(vendor, type)
		.filter((record) => String(record.fields[field] ?? '').toLowerCase() === email);

/** A HubSpot contact created now (the triggers' cursors are at their last poll). */
function hubspotContact(id: string, fields: Record<string, unknown>): void {
	const at = new Date().toISOString();
	sandbox.store.insert(
		'hubspot',
		'contacts',
		id,
		{ ...fields, createdate: at, lastmodifieddate: at },
		at,
	);
}

function link(
	fromType: HubSpotObjectType,
	fromId: string,
	toType: HubSpotObjectType,
	toId: string,
) {
	const type = defaultAssociationType(fromType, toType)!;
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

async function logRows(client: string): Promise<SyncLogRow[]> {
	return await dataTableRowsByName<SyncLogRow>(stack.api, SYNC_LOGS_TABLE.name, [
		{ columnName: 'client', condition: 'eq', value: client },
	]);
}

async function setSettings(values: Record<string, unknown>): Promise<void> {
	await editWorkflow(stack, workflowId, (saved) => setAssignments(saved, 'Settings', values));
}

test('a contact created in HubSpot becomes one Salesforce Lead in one poll; a Salesforce edit comes back by its rule; nothing echoes over 10 polls each way', async () => {
	hubspotContact('7100001', {
		firstname: 'Ada',
		lastname: 'Lovelace',
		email: 'ada@engines.example',
		company: 'Analytical Engines',
	});
	await poll();
	const leads = emailsOf('salesforce', 'Lead', 'Email', 'ada@engines.example');
	expect(leads).toHaveLength(1);
	expect(leads[0].fields).toMatchObject({
		FirstName: 'Ada',
		LastName: 'Lovelace',
		Company: 'Analytical Engines',
	});
	expect(emailsOf('salesforce', 'Contact', 'Email', 'ada@engines.example')).toHaveLength(0);
	const leadId = leads[0].id;
	// Both records have their link row.
	const links = await dataTableRowsByName<{ key: string; counterpartId: string }>(
		stack.api,
		RECORD_LINKS_TABLE.name,
	);
	expect(links.find((row) => row.key === 'hubspot:contacts:7100001')?.counterpartId).toBe(leadId);
	expect(links.find((row) => row.key === `salesforce:Lead:${leadId}`)?.counterpartId).toBe(
		'7100001',
	);
	expect(await logRows('hubspot:contacts:7100001')).toContainEqual(
		expect.objectContaining({
			crm: 'salesforce',
			type: 'created-contact',
			status: 'success',
			record: leadId,
		}),
	);

	// The Lead's creation comes back on the next poll as the sync's own write: nothing written.
	const from = sandbox.admin.requests().length;
	await poll();
	expect(writes(sandbox.admin.requests().slice(from), 'hubspot')).toBe(0);

	// An edit in Salesforce (First Name: Two-Way) reaches HubSpot once and never echoes back.
	sandbox.store.update('salesforce', 'Lead', leadId, { FirstName: 'Augusta' });
	const editFrom = sandbox.admin.requests().length;
	for (let round = 0; round < 10; round++) await poll();
	const during = sandbox.admin.requests().slice(editFrom);
	expect(sandbox.store.get('hubspot', 'contacts', '7100001')?.fields.firstname).toBe('Augusta');
	expect({ hubspot: writes(during, 'hubspot'), salesforce: writes(during, 'salesforce') }).toEqual({
		hubspot: 1,
		salesforce: 0,
	});
	expect(sandbox.store.get('salesforce', 'Lead', leadId)?.fields.FirstName).toBe('Augusta');
	expect(emailsOf('hubspot', 'contacts', 'email', 'ada@engines.example')).toHaveLength(1);
	expect(emailsOf('salesforce', 'Lead', 'Email', 'ada@engines.example')).toHaveLength(1);
});

test('a won HubSpot deal moves its contacts to customer, never backwards; a won Salesforce opportunity does the same through its contact roles', async () => {
	hubspotContact('7200001', {
		firstname: 'Grace',
		lastname: 'Hopper',
		email: 'grace@navy.example',
		lifecyclestage: 'opportunity',
	});
	hubspotContact('7200002', {
		firstname: 'Alan',
		lastname: 'Kay',
		email: 'alan@parc.example',
		lifecyclestage: 'evangelist',
	});
	const at = new Date().toISOString();
	sandbox.store.insert(
		'hubspot',
		'deals',
		'7290001',
		{
			dealname: 'Navy compilers',
			dealstage: 'closedwon',
			hs_is_closed: 'true',
			hs_is_closed_won: 'true',
			closedate: '2026-12-01T00:00:00.000Z',
			amount: '5000',
			createdate: at,
			hs_lastmodifieddate: at,
		},
		at,
	);
	link('deals', '7290001', 'contacts', '7200001');
	link('deals', '7290001', 'contacts', '7200002');
	await poll();
	expect(
		sandbox.store
			.list('salesforce', 'Opportunity')
			.filter((o) => o.fields.Name === 'Navy compilers'),
	).toHaveLength(1);
	expect(sandbox.store.get('hubspot', 'contacts', '7200001')?.fields.lifecyclestage).toBe(
		'customer',
	);
	// A later stage is not moved back.
	expect(sandbox.store.get('hubspot', 'contacts', '7200002')?.fields.lifecyclestage).toBe(
		'evangelist',
	);

	// Salesforce: a Contact (synced to HubSpot first) in the contact roles of an opportunity won there.
	const [contact] = sandbox.admin.putRecords('salesforce', 'Contact', [
		{ FirstName: 'Katherine', LastName: 'Johnson', Email: 'katherine@nasa.example' },
	]);
	await poll();
	const [hubspotPerson] = emailsOf('hubspot', 'contacts', 'email', 'katherine@nasa.example');
	expect(hubspotPerson).toBeDefined();
	expect(
		sandbox.store.get('hubspot', 'contacts', hubspotPerson.id)?.fields.lifecyclestage,
	).not.toBe('customer');
	// Won in Salesforce (HubSpot's default pipeline shares no open stage label with Salesforce's).
	const [opportunity] = sandbox.admin.putRecords('salesforce', 'Opportunity', [
		{
			Name: 'Orbital mechanics',
			StageName: 'Closed Won',
			CloseDate: '2026-12-20',
			IsWon: true,
			IsClosed: true,
		},
	]);
	sandbox.admin.putRecords('salesforce', 'OpportunityContactRole', [
		{ OpportunityId: opportunity.id, ContactId: contact.id, IsPrimary: true },
	]);
	await poll();
	expect(sandbox.store.get('hubspot', 'contacts', hubspotPerson.id)?.fields.lifecyclestage).toBe(
		'customer',
	);
});

// Needs Record Sync's "Deletions" parameter (built on another branch at the same time).
test('with sync_deletions = propagate, a Salesforce delete archives the HubSpot contact', async () => {
	await setSettings({ sync_deletions: 'propagate' });
	try {
		hubspotContact('7300001', {
			firstname: 'Edsger',
			lastname: 'Dijkstra',
			email: 'edsger@tue.example',
		});
		await poll();
		const [lead] = emailsOf('salesforce', 'Lead', 'Email', 'edsger@tue.example');
		expect(lead).toBeDefined();
		sandbox.admin.deleteRecords('salesforce', 'Lead', [lead.id]);
		await poll();
		expect(sandbox.store.get('hubspot', 'contacts', '7300001')).toBeUndefined();
	} finally {
		await setSettings({ sync_deletions: 'ignore' });
	}
});

// Needs Record Sync's "State and Country Picklists" parameter (built on another branch at the same time).
test('with state_and_country_picklists on and country mapped to CountryCode, "United States" reaches Salesforce as US', async () => {
	const country = { sourceField: 'country', targetField: 'CountryCode', rule: 'twoWay' };
	const edit = (on: boolean) =>
		editWorkflow(stack, workflowId, (saved) => {
			setAssignments(saved, 'Settings', { state_and_country_picklists: on });
			const toSalesforce = saved.nodes.find((n) => n.name === 'HubSpot → Salesforce: contacts')!;
			const mappings = toSalesforce.parameters.mappings as {
				mapping: Array<Record<string, string>>;
			};
			mappings.mapping = mappings.mapping.filter((m) => m.targetField !== 'CountryCode');
			if (on) mappings.mapping.push(country);
			const trigger = saved.nodes.find((n) => n.name === 'HubSpot: Contact changed')!;
			const extra = (trigger.parameters.extraFields as string[]).filter((f) => f !== 'country');
			trigger.parameters.extraFields = on ? [...extra, 'country'] : extra;
		});
	await edit(true);
	try {
		hubspotContact('7400001', {
			firstname: 'Margaret',
			lastname: 'Hamilton',
			email: 'margaret@mit.example',
			country: 'United States',
		});
		await poll();
		const [lead] = emailsOf('salesforce', 'Lead', 'Email', 'margaret@mit.example');
		expect(lead?.fields.CountryCode).toBe('US');
	} finally {
		await edit(false);
	}
});

/**
 * The backfill's size: 2,000 in CI (the template passes records through n8n one step per record,
 * about 4.5 ms per record and step on a loaded 2-core machine); `CRM_SYNC_BACKFILL_RECORDS=10000`
 * runs the full-size check.
 */
const BACKFILL = Number(process.env.CRM_SYNC_BACKFILL_RECORDS ?? 2_000);

test(`a ${BACKFILL.toLocaleString('en-US')}-contact backfill stops at the 20 % Salesforce API cap with a clear sync-log row; the next day the rest sync, each record once`, async () => {
	const COUNT = BACKFILL;
	// What the template's own Salesforce polls cost (they count against the same day): one
	// quiet round, counted.
	sandbox.admin.configure('salesforce', { dailyApiLimit: 2_000, apiUsage: 0 });
	await settled();
	const beforeQuiet = sandbox.admin.requests('salesforce').length;
	await poll();
	await settled();
	const pollCalls = sandbox.admin
		.requests('salesforce')
		.slice(beforeQuiet)
		.filter((r) => !r.path.includes('/oauth2/')).length;
	// One change per millisecond from now on, as an import writes them.
	const base = Date.now();
	for (let i = 0; i < COUNT; i++) {
		const at = new Date(base + i).toISOString();
		sandbox.store.insert(
			'hubspot',
			'contacts',
			String(8_000_000 + i),
			{
				firstname: 'Backfill',
				lastname: `Contact ${i}`,
				email: `backfill.${i}@bulk.example`,
				createdate: at,
				lastmodifieddate: at,
			},
			at,
		);
	}
	// The poll lists changes up to its own start: wait until the last one is in the past.
	await waitFor(async () => (Date.now() > base + COUNT ? true : undefined), {
		timeoutMs: 60_000,
		intervalMs: 200,
		what: 'the last backfilled change to be in the past',
	});
	// 20 % of a 2,000-call day is 400 calls. The people are looked up by email over Lead and
	// Contact (100 emails per query, 5 queries per Composite call), then written 200 per call:
	// the day has room for the lookups and half of the writes.
	const lookups = Math.ceil((Math.ceil(COUNT / 100) * 2) / 5);
	const left = pollCalls + lookups + Math.max(1, Math.floor(Math.ceil(COUNT / 200) / 2));
	sandbox.admin.configure('salesforce', { dailyApiLimit: 2_000, apiUsage: 400 - left });
	await poll();
	// A wait, not a speed check: 10,000 items through n8n take a while on a busy 2-core box.
	const capped = await waitFor(
		async () => {
			const rows = (
				await dataTableRowsByName<SyncLogRow>(stack.api, SYNC_LOGS_TABLE.name, [
					{ columnName: 'status', condition: 'eq', value: 'skipped' },
				])
			).filter((row) => String(row.error).includes('reached the cap of 20 %'));
			return rows.length > 0 ? rows : undefined;
		},
		{ timeoutMs: 400_000, intervalMs: 2_000, what: 'the sync-log row of the API cap' },
	);
	await settled();
	const bulkLeads = () =>
		sandbox.store
			.list('salesforce', 'Lead')
			.filter((lead) => String(lead.fields.Email ?? '').endsWith('@bulk.example'));
	const firstDay = bulkLeads().length;
	console.log(`backfill, day 1: ${firstDay} of ${COUNT} contacts synced before the cap`);
	expect(firstDay).toBeGreaterThan(0);
	expect(firstDay).toBeLessThan(COUNT);
	expect(capped[0].error).toMatch(
		/^Salesforce daily API usage \d+\/2000 \(\d+\.\d %\) reached the cap of 20 % — \d+ record\(s\) left for the next run$/,
	);
	const queued = await dataTableRowsByName(stack.api, SYNC_QUEUE_TABLE.name);
	expect(queued).toHaveLength(COUNT - firstDay);

	// The next day: usage back to 0. One new change starts a run; the held-back records go first.
	sandbox.admin.configure('salesforce', { apiUsage: 0 });
	hubspotContact('7500001', { firstname: 'Next', lastname: 'Day', email: 'next.day@bulk.example' });
	await poll();
	await waitFor(async () => (bulkLeads().length >= COUNT + 1 ? true : undefined), {
		timeoutMs: 400_000,
		intervalMs: 2_000,
		what: 'every backfilled contact as a Lead',
	});
	await settled();
	const leads = bulkLeads();
	expect(leads).toHaveLength(COUNT + 1);
	expect(new Set(leads.map((lead) => String(lead.fields.Email))).size).toBe(COUNT + 1);
	expect(await dataTableRowsByName(stack.api, SYNC_QUEUE_TABLE.name)).toHaveLength(0);
	sandbox.admin.configure('salesforce', { dailyApiLimit: 15_000, apiUsage: 0 });
}, 600_000);
