/**
 * hubspot-salesforce-sync.json: HubSpot's own Salesforce integration rebuilt with the pack's
 * nodes — contacts ↔ leads/contacts, companies ↔ accounts, deals ↔ opportunities, both ways.
 *
 * One CRM Sync Trigger per side and object (associations and deletions included) and an hourly
 * retry all feed one pipeline: the records held back by the daily API cap ("CRM sync queue")
 * first, then the new changes → each record's stored link (and its associated records'
 * counterparts) from "CRM record links" → one CRM Record Sync per direction and kind → the
 * link rows it outputs stored back, held-back records queued again, the queue rows this run
 * delivered removed → a won deal moves its contacts' HubSpot lifecycle stage forward (never
 * back) → every step in the sync log.
 */
import type { CrmName, ObjectKind } from '../../../nodes/shared/model';
import { profileOf } from '../../../nodes/shared/providers/profiles';
import { RECORD_LINKS_TABLE, SYNC_LOGS_TABLE, SYNC_QUEUE_TABLE } from '../../runtime/dataTables';
import type { FieldSchemas } from '../fieldSchemas';
import {
	deleteRows,
	filter,
	getRows,
	ifTrue,
	insertRows,
	schedule,
	setFields,
	setJson,
	splitItems,
	writeRows,
} from '../nodes';
import { CRM_LABELS, crmNode, fieldMerge } from '../parts/crm';
import { CRMS, crmSwitch } from '../parts/crmBranches';
import { syncLogPipeline } from '../parts/syncLog';
import { ensureTables, tablesNote } from '../parts/tables';
import { WorkflowBuilder, type NodeSpec, type Position, type WorkflowJson } from '../workflow';

const TABLES = [RECORD_LINKS_TABLE, SYNC_QUEUE_TABLE, SYNC_LOGS_TABLE];

type Side = 'hubspot' | 'salesforce';
type Rule = 'twoWay' | 'preferTarget' | 'alwaysSource' | 'none';
type Kind = 'contact' | 'company' | 'deal';

/** Settings: the values a team changes, each read by the nodes named in the sticky note. */
export const SETTINGS = {
	newPeople: 'default_object_for_new_people',
	createInHubspot: 'create_in_hubspot_from_salesforce',
	deletions: 'sync_deletions',
	picklists: 'state_and_country_picklists',
	wonStage: 'lifecycle_stage_on_closed_won',
	apiCap: 'salesforce_daily_api_cap_percent',
} as const;

const SETTINGS_FIELDS: Array<[string, unknown, 'string' | 'boolean' | 'number']> = [
	// The switch every CRM-writing template has; only HubSpot's and Salesforce's apply here.
	...CRMS.map((crm) => [crmSwitch(crm), true, 'boolean'] as [string, boolean, 'boolean']),
	[SETTINGS.newPeople, 'lead', 'string'],
	[SETTINGS.createInHubspot, true, 'boolean'],
	[SETTINGS.deletions, 'ignore', 'string'],
	[SETTINGS.picklists, false, 'boolean'],
	[SETTINGS.wonStage, 'customer', 'string'],
	[SETTINGS.apiCap, 20, 'number'],
];

const SETTING = (name: string) => `$('Settings').first().json.${name}`;

interface Mapping {
	sourceField: string;
	targetField: string;
	rule: Rule;
}

/** HubSpot field ↔ Salesforce field with the rule of each direction. */
type Pair = [hubspot: string, salesforce: string, toSalesforce: Rule, toHubspot: Rule];

const PAIRS: Record<Kind, Pair[]> = {
	contact: [
		['firstname', 'FirstName', 'twoWay', 'twoWay'],
		['lastname', 'LastName', 'twoWay', 'twoWay'],
		['email', 'Email', 'twoWay', 'twoWay'],
		['phone', 'Phone', 'twoWay', 'twoWay'],
		['jobtitle', 'Title', 'twoWay', 'twoWay'],
		// A Salesforce Contact has no Company field: HubSpot keeps its value unless it is blank.
		['company', 'Company', 'twoWay', 'preferTarget'],
	],
	company: [
		['name', 'Name', 'twoWay', 'twoWay'],
		['domain', 'Website', 'twoWay', 'preferTarget'],
		['phone', 'Phone', 'twoWay', 'twoWay'],
		['city', 'BillingCity', 'twoWay', 'twoWay'],
	],
	deal: [
		['dealname', 'Name', 'twoWay', 'twoWay'],
		['dealstage', 'StageName', 'twoWay', 'twoWay'],
		['closedate', 'CloseDate', 'twoWay', 'twoWay'],
		['amount', 'Amount', 'twoWay', 'twoWay'],
	],
};

const KINDS: Kind[] = ['company', 'contact', 'deal'];
const KIND_LABELS: Record<Kind, string> = {
	contact: 'contacts',
	company: 'companies',
	deal: 'deals',
};

interface Direction {
	value: 'hubspotToSalesforce' | 'salesforceToHubspot';
	source: Side;
	target: Side;
}

const DIRECTIONS: Direction[] = [
	{ value: 'hubspotToSalesforce', source: 'hubspot', target: 'salesforce' },
	{ value: 'salesforceToHubspot', source: 'salesforce', target: 'hubspot' },
];

const mappingsOf = (kind: Kind, direction: Direction): Mapping[] =>
	PAIRS[kind].map(([hubspot, salesforce, toSalesforce, toHubspot]) =>
		direction.source === 'hubspot'
			? { sourceField: hubspot, targetField: salesforce, rule: toSalesforce }
			: { sourceField: salesforce, targetField: hubspot, rule: toHubspot },
	);

/** The CRM objects a kind covers on a side (Salesforce people are Leads and Contacts). */
function objectTypes(crm: Side, kind: Kind): string[] {
	const { objects } = profileOf(crm);
	const kinds: ObjectKind[] = kind === 'contact' && objects.lead ? ['lead', 'contact'] : [kind];
	return kinds.map((k) => {
		const info = objects[k];
		if (!info) throw new Error(`${crm} has no ${k} object`);
		return info.objectType;
	});
}

/** The fields a trigger on that object reads for the mappings (the Salesforce Contact has no Company). */
function triggerFields(crm: Side, objectType: string, kind: Kind): string[] {
	return PAIRS[kind]
		.map(([hubspot, salesforce]) => (crm === 'hubspot' ? hubspot : salesforce))
		.filter((field) => !(objectType === 'Contact' && field === 'Company'));
}

/** `<direction>:<kind>`: which Record Sync node a record goes to (the sync queue's `sync`). */
const syncKey = (direction: Direction, kind: Kind): string => `${direction.value}:${kind}`;

/** Object type → the CRM it is from and the sync it goes to. */
function sides(): Record<string, { crm: Side; sync: string }> {
	const entries: Array<[string, { crm: Side; sync: string }]> = [];
	for (const direction of DIRECTIONS)
		for (const kind of KINDS)
			for (const type of objectTypes(direction.source, kind))
				entries.push([type, { crm: direction.source, sync: syncKey(direction, kind) }]);
	return Object.fromEntries(entries);
}

/** CRM → kind → its object types: where an associated record's link is looked up. */
function typesByKind(): Record<Side, Record<Kind, string[]>> {
	const of = (crm: Side) =>
		Object.fromEntries(KINDS.map((kind) => [kind, objectTypes(crm, kind)])) as Record<
			Kind,
			string[]
		>;
	return { hubspot: of('hubspot'), salesforce: of('salesforce') };
}

/** What a Lead's required Company holds for a HubSpot contact without a company. */
export const NO_COMPANY = '[not provided]';

/** A constant in expression code; one entry per line keeps closing braces apart. */
const literal = (value: unknown): string => JSON.stringify(value, null, 1);

/** n8n ends an expression at the first `}}`: the code below keeps its braces apart. */
function expression(code: string): string {
	if (code.includes('}}')) throw new Error(`an expression holds "}}": ${code.slice(0, 80)}`);
	return code;
}

const RECORDS_TO_SYNC = expression(`(() => {
  const sides = ${literal(sides())};
  const settingNames = ${literal(SETTINGS_FIELDS.map(([name]) => name))};
  const described = (raw) => {
    if (!raw || typeof raw !== 'object') return null;
    const side = sides[raw.objectType];
    const id = String(raw.id ?? raw.crmId ?? '');
    if (!side || id === '') return null;
    const record = Object.fromEntries(Object.entries(raw).filter(([name]) => !settingNames.includes(name)));
    const fields = { ...(record.fields ?? {}) };
    // Salesforce requires a Lead's Company: a HubSpot contact without one is sent with a placeholder.
    if (raw.objectType === 'contacts' && String(fields.company ?? '').trim() === '') fields.company = ${literal(NO_COMPANY)};
    return { ...record, fields, crm: side.crm, recordKey: side.crm + ':' + raw.objectType + ':' + id, sync: side.sync };
  };
  const parsed = (text) => { try { return JSON.parse(String(text ?? '')); } catch (error) { return null; } };
  const changed = $('Data Tables ready').all().map((item) => described(item.json)).filter((record) => record !== null);
  // A trigger's run takes the held-back records of its own syncs; the hourly retry takes them all.
  const syncs = changed.map((record) => record.sync);
  const queued = $('Read sync queue').all().map((item) => described(parsed(item.json.record)))
    .filter((record) => record !== null && (syncs.length === 0 || syncs.includes(record.sync)));
  const ordered = [...queued, ...changed];
  // One item per record: a record both queued and changed again goes once, as changed.
  const lastAt = {};
  ordered.forEach((record, at) => { lastAt[record.recordKey] = at; });
  return { startedAt: $('Run started').first().json.startedAt, records: ordered.filter((record, at) => lastAt[record.recordKey] === at) };
})()`);

const WITH_LINKS = expression(`(() => {
  const links = {};
  $('Read record links').all().forEach((item) => { if (item.json.key) links[item.json.key] = item.json; });
  const types = ${literal(typesByKind())};
  const counterpart = (crm, kind, id) => {
    const type = ((types[crm] ?? {})[kind] ?? []).find((candidate) => links[crm + ':' + candidate + ':' + id] !== undefined);
    return type === undefined ? undefined : String(links[crm + ':' + type + ':' + id].counterpartId);
  };
  const resolved = (crm, associations) => Object.fromEntries(Object.entries(associations).map(([kind, list]) => [kind, (Array.isArray(list) ? list : []).map((entry) => {
    const id = String(typeof entry === 'object' && entry !== null ? entry.id : entry);
    const found = counterpart(crm, kind, id);
    return found === undefined ? id : { id, counterpartId: found };
  })]));
  return { records: $('Records to sync').first().json.records.map((record) => ({
    ...record,
    linkRow: links[record.recordKey] ?? null,
    ...(record.associations && typeof record.associations === 'object' ? { associations: resolved(record.crm, record.associations) } : {}),
  })) };
})()`);

/** What a held-back record is queued as: the record as delivered, without what the run added. */
const QUEUE_ROW = expression(`{
  key: $json.recordKey,
  sync: $json.sync,
  record: JSON.stringify(Object.fromEntries(Object.entries($json).filter(([name]) => !['recordSync', 'link', 'linkRow', 'syncLog'].includes(name)))),
  reason: $json.recordSync.reason,
  queuedAt: $now.toUTC().toISO()
}`);

/** A won deal's HubSpot contacts: its own (HubSpot deal) or its contacts' counterparts (Salesforce). */
const WON_CONTACTS = expression(`{
  contacts: ((($json.associations ?? {}).contact) ?? [])
    .map((entry) => typeof entry === 'object' && entry !== null ? ($json.crm === 'hubspot' ? entry.id : entry.counterpartId) : ($json.crm === 'hubspot' ? entry : undefined))
    .filter((id) => id !== undefined && id !== null && id !== '')
    .map((id) => String(id))
    .filter((id, at, all) => all.indexOf(id) === at)
    .map((id) => ({ hubspotContactId: id, deal: $json.recordKey, syncLog: [] }))
}`);

const AUTH = {
	hubspot: {
		parameter: 'hubspotAuthentication',
		value: 'privateApp',
		credential: 'crmSyncHubSpotPrivateAppApi',
		name: 'HubSpot private app',
	},
	salesforce: {
		parameter: 'salesforceAuthentication',
		value: 'clientCredentials',
		credential: 'crmSyncSalesforceClientCredentialsApi',
		name: 'Salesforce client credentials',
	},
} as const;

function recordSync(name: string, position: Position, direction: Direction, kind: Kind): NodeSpec {
	const toSalesforce = direction.target === 'salesforce';
	const parameters: Record<string, unknown> = {
		direction: direction.value,
		[AUTH.hubspot.parameter]: AUTH.hubspot.value,
		[AUTH.salesforce.parameter]: AUTH.salesforce.value,
		objectKind: kind,
		mappings: { mapping: mappingsOf(kind, direction) },
		createRecords: toSalesforce
			? 'ifEligible'
			: `={{ ${SETTING(SETTINGS.createInHubspot)} === true ? 'ifEligible' : 'never' }}`,
		...(toSalesforce && kind === 'contact'
			? { newPersonKind: `={{ ${SETTING(SETTINGS.newPeople)} }}` }
			: {}),
		sourceRecord: '={{ $json }}',
		storedLink: '={{ $json.linkRow }}',
		associations: '={{ $json.associations }}',
		deletions: `={{ ${SETTING(SETTINGS.deletions)} }}`,
		stateCountryCodes: `={{ ${SETTING(SETTINGS.picklists)} === true }}`,
		dailyApiCapPercent: toSalesforce ? `={{ ${SETTING(SETTINGS.apiCap)} }}` : 0,
		dryRun: false,
	};
	return {
		name,
		type: 'n8n-nodes-crm-sync.crmRecordSync',
		typeVersion: 1,
		position,
		parameters,
		credentials: {
			[AUTH.hubspot.credential]: { name: AUTH.hubspot.name },
			[AUTH.salesforce.credential]: { name: AUTH.salesforce.name },
		},
		onError: 'continueErrorOutput',
	};
}

function syncTrigger(
	name: string,
	position: Position,
	crm: Side,
	objectType: string,
	kind: Kind,
): NodeSpec {
	return crmNode(
		crm,
		name,
		'crmSyncTrigger',
		position,
		{
			pollTimes: { item: [{ mode: 'everyX', value: 5, unit: 'minutes' }] },
			objectType,
			records: 'changes',
			includeAssociations: kind !== 'company',
			includeDeletions: true,
			extraFields: triggerFields(crm, objectType, kind),
			firstPoll: 'hoursBack',
			hoursBack: 24,
			defaultCountry: 'US',
			options: { pageSize: 200 },
		},
		{ onError: undefined },
	);
}

const objectLabel = (crm: CrmName, objectType: string): string => {
	const { objects } = profileOf(crm);
	const info = Object.values(objects).find((candidate) => candidate?.objectType === objectType);
	return info?.label ?? objectType;
};

export function hubspotSalesforceSync(schemas: FieldSchemas): WorkflowJson {
	const wf = new WorkflowBuilder('HubSpot ↔ Salesforce sync (contacts, companies, deals)');

	const settings = wf.add(
		setFields('Settings', [440, 600], SETTINGS_FIELDS, { keepOtherFields: true }),
	);
	let row = 0;
	for (const direction of DIRECTIONS)
		for (const kind of KINDS)
			for (const objectType of objectTypes(direction.source, kind)) {
				const trigger = wf.add(
					syncTrigger(
						`${CRM_LABELS[direction.source]}: ${objectLabel(direction.source, objectType)} changed`,
						[0, row * 160],
						direction.source,
						objectType,
						kind,
					),
				);
				wf.connect(trigger, settings);
				row++;
			}
	const retry = wf.add(schedule('Every hour: retry held-back records', [0, row * 160], 60));
	wf.connect(retry, settings);

	const ready = ensureTables(wf, settings, TABLES, [660, 600]);
	const started = wf.add(
		setJson('Run started', [1540, 600], '{ startedAt: $now.toUTC().toISO() }', {
			executeOnce: true,
		}),
	);
	const queue = wf.add(
		getRows('Read sync queue', [1760, 600], SYNC_QUEUE_TABLE.name, [], {
			orderBy: 'queuedAt',
			executeOnce: true,
			alwaysOutputData: true,
		}),
	);
	const collect = wf.add(
		setJson('Records to sync', [1980, 600], RECORDS_TO_SYNC, { executeOnce: true }),
	);
	const any = wf.add(ifTrue('Anything to sync?', [2200, 600], '$json.records.length > 0'));
	const links = wf.add(
		getRows('Read record links', [2420, 600], RECORD_LINKS_TABLE.name, [], {
			executeOnce: true,
			alwaysOutputData: true,
		}),
	);
	const linked = wf.add(
		setJson('Records with their links', [2420, 800], WITH_LINKS, { executeOnce: true }),
	);
	const each = wf.add(splitItems('One item per record', [2640, 800], 'records'));
	wf.connect(ready, started).connect(started, queue).connect(queue, collect);
	wf.connect(collect, any).connect(any, links, { output: 0 });
	wf.connect(links, linked).connect(linked, each);

	// After every Record Sync: links stored, held-back records queued, the delivered queue rows cleared.
	const x = 3740;
	const newPairs = wf.add(
		filter(
			'New link pair?',
			[x, 0],
			'!$json.linkRow && (($json.link ?? {}).rows ?? []).length > 0',
		),
	);
	const newRows = wf.add(splitItems('New link rows', [x + 220, 0], 'link.rows'));
	const insertLinks = wf.add(insertRows('Save new links', [x + 440, 0], RECORD_LINKS_TABLE.name));
	const knownPairs = wf.add(
		filter(
			'Known link pair?',
			[x, 160],
			'!!$json.linkRow && (($json.link ?? {}).rows ?? []).length > 0',
		),
	);
	const knownRows = wf.add(splitItems('Changed link rows', [x + 220, 160], 'link.rows'));
	const linkColumns = Object.fromEntries(
		RECORD_LINKS_TABLE.columns.map((column) => [column.name, `={{ $json.${column.name} }}`]),
	);
	const upsertLinks = wf.add(
		writeRows(
			'Update links',
			[x + 440, 160],
			RECORD_LINKS_TABLE.name,
			'upsert',
			[{ column: 'key', condition: 'eq', value: '={{ $json.key }}' }],
			linkColumns,
		),
	);
	wf.connect(newPairs, newRows).connect(newRows, insertLinks);
	wf.connect(knownPairs, knownRows).connect(knownRows, upsertLinks);

	const held = wf.add(
		filter('Held back by the API cap?', [x, 320], "($json.recordSync ?? {}).action === 'deferred'"),
	);
	const queueRow = wf.add(setJson('Sync queue row', [x + 220, 320], QUEUE_ROW));
	const enqueue = wf.add(insertRows('Add to sync queue', [x + 440, 320], SYNC_QUEUE_TABLE.name));
	wf.connect(held, queueRow).connect(queueRow, enqueue);
	const cleared = wf.add(
		deleteRows(
			'Clear delivered queue rows',
			[x, 480],
			SYNC_QUEUE_TABLE.name,
			[
				{ column: 'sync', condition: 'eq', value: '={{ $json.sync }}' },
				{
					column: 'queuedAt',
					condition: 'lt',
					value: "={{ $('Records to sync').first().json.startedAt }}",
				},
			],
			{ executeOnce: true },
		),
	);

	// Closed Won → the deal's contacts move forward to the Settings stage in HubSpot.
	const won = wf.add(
		filter(
			'Won deal synced?',
			[x, 640],
			"['created', 'updated'].includes(($json.recordSync ?? {}).action) && (($json.properties ?? {}).won === true || ($json.fields ?? {}).IsWon === true || ($json.fields ?? {}).StageName === 'Closed Won' || ($json.fields ?? {}).dealstage === 'closedwon')",
		),
	);
	const contacts = wf.add(setJson("Won deal's HubSpot contacts", [x + 220, 640], WON_CONTACTS));
	const eachContact = wf.add(splitItems('One item per contact', [x + 440, 640], 'contacts'));
	const stage = wf.add(
		fieldMerge(schemas, 'hubspot', 'HubSpot: lifecycle stage on Closed Won', [x + 660, 640], {
			objectKind: 'contact',
			matchBy: 'id',
			matchValue: '={{ $json.hubspotContactId }}',
			values: { lifecyclestage: `={{ ${SETTING(SETTINGS.wonStage)} }}` },
			defaultMode: 'overwrite',
			modes: { lifecyclestage: 'advanceOnly' },
			createIfMissing: false,
		}),
	);
	const hubspotOn = wf.add(
		ifTrue(
			'HubSpot on? (lifecycle stage)',
			[x + 440, 800],
			`${SETTING(crmSwitch('hubspot'))} === true`,
		),
	);
	wf.connect(won, contacts).connect(contacts, eachContact).connect(eachContact, hubspotOn);
	wf.connect(hubspotOn, stage, { output: 0 });

	const log = syncLogPipeline(
		wf,
		[x + 1100, 900],
		"$json.recordKey ?? ($json.hubspotContactId ? 'hubspot:contacts:' + $json.hubspotContactId : '')",
	);
	const failed = wf.add(
		setJson('Record failed', [x, 1000], '{ ...$json, failedNode: $prevNode.name }'),
	);
	wf.connect(failed, log);
	wf.connect(stage, log, { output: 0 }).connect(stage, log, { output: 1 });
	wf.connect(stage, failed, { output: 2 });

	// A target switched off in Settings gets nothing: its Record Sync nodes sit behind its switch.
	const switches = new Map<Side, string>();
	DIRECTIONS.forEach((direction, at) => {
		const on = wf.add(
			ifTrue(
				`${CRM_LABELS[direction.target]} on?`,
				[2860, 200 + at * 600],
				`${SETTING(crmSwitch(direction.target))} === true`,
			),
		);
		wf.connect(each, on);
		switches.set(direction.target, on);
	});
	let index = 0;
	for (const direction of DIRECTIONS)
		for (const kind of KINDS) {
			const label = `${CRM_LABELS[direction.source]} → ${CRM_LABELS[direction.target]}: ${KIND_LABELS[kind]}`;
			const y = index * 200;
			const mine = wf.add(
				filter(`${label}?`, [3080, y], `$json.sync === '${syncKey(direction, kind)}'`),
			);
			const sync = wf.add(recordSync(label, [3300, y], direction, kind));
			wf.connect(switches.get(direction.target)!, mine, { output: 0 }).connect(mine, sync);
			for (const next of [newPairs, knownPairs, held, cleared, log])
				wf.connect(sync, next, { output: 0 });
			if (kind === 'deal') wf.connect(sync, won, { output: 0 });
			wf.connect(sync, failed, { output: 1 });
			index++;
		}

	wf.sticky(ABOUT, [-80, -1180], [760, 1100], undefined, 'About this template');
	wf.sticky(SETTINGS_NOTE, [440, -560], [620, 760], 4, 'About the settings');
	wf.sticky(tablesNote(TABLES), [1540, -560], [820, 460], 5, 'Data Tables');
	return wf.toJSON();
}

const ABOUT = [
	'## HubSpot ↔ Salesforce sync',
	"HubSpot's Salesforce integration, rebuilt with CRM Sync nodes: contacts ↔ Salesforce Leads and Contacts, companies ↔ Accounts, deals ↔ Opportunities, both ways, polling (no webhooks to set up).",
	'',
	"**Per run.** Each **CRM Sync Trigger** (one per side and object, associations and deletions included) polls every 5 minutes. Records held back by the API cap come first (the **CRM sync queue** table), then the new changes; each gets its row from **CRM record links** (the counterpart in the other CRM and the fingerprint of what the sync last wrote or read) and the counterparts of its associated company and contacts. One **CRM Record Sync** per direction and object writes the other side and outputs the link rows, which are stored back; an unchanged record or the sync's own write coming back makes no API call.",
	'',
	"**Field rules** are in each CRM Record Sync node (*Field Mappings*: Two-Way, Prefer Target Unless Blank, Always Use Source, Don't Sync) — edit them there; add a mapped source field to that side's trigger's *Extra Fields* too.",
	'',
	"**Nothing lost to the API cap.** The Salesforce nodes stop before the org's daily API usage passes `salesforce_daily_api_cap_percent`; the records left come out as *deferred* with a sync-log row saying so, go into **CRM sync queue** and are delivered again — before new changes — on the next run of the same sync (that side's trigger for that object), or by **Every hour: retry held-back records**, which delivers the whole queue. A record leaves the queue once a run has delivered it again; one held back again is queued again. The triggers' cursors move on either way, so without the queue a capped backfill would lose records.",
	'',
	"**Closed Won → Customer.** When a deal is won (HubSpot `closedwon`, Salesforce IsWon / Closed Won) and synced, its contacts' HubSpot lifecycle stage becomes `lifecycle_stage_on_closed_won` through CRM Contact Field Merge's **Only Move Forward**: a contact already at a later stage keeps it. The contacts come from the deal's associations (for a Salesforce Opportunity, its contact roles' HubSpot counterparts in the link table).",
	'',
	`**A Lead needs a Company**: a HubSpot contact without one becomes a Lead with Company \`${NO_COMPANY}\` (as HubSpot's own integration does). Coming back, Company → company is *Prefer Target Unless Blank*: a HubSpot company is never overwritten from Salesforce, a blank one is filled (with the placeholder too, once the Lead changes) — set that mapping to *Don't Sync* in **Salesforce → HubSpot: contacts** if you would rather not.`,
	'',
	'**Order**: companies sync before their contacts and deals (an associated record is found through its link). Everything ends in **CRM sync logs**.',
].join('\n');

const SETTINGS_NOTE = [
	'### Settings',
	'- `sync_to_salesforce` / `sync_to_hubspot`: false = nothing is written into that CRM (its Record Sync nodes, and for HubSpot the lifecycle stage, are skipped); `sync_to_dynamics` and `sync_to_autochat` do not apply here.',
	'- `default_object_for_new_people`: `lead` or `contact` — what a new HubSpot contact becomes in Salesforce (an existing Lead or Contact with the email is updated instead).',
	'- `create_in_hubspot_from_salesforce`: true = a Salesforce record without a HubSpot counterpart is created there when eligible (a person needs an email, a company or deal a name); false = only records already linked are updated.',
	'- `sync_deletions`: `ignore` (default) or `propagate` — a record deleted on one side deletes (HubSpot: archives) its counterpart.',
	'- `state_and_country_picklists`: turn on when the Salesforce org has State and Country/Territory Picklists, and map `state`/`country` to `StateCode`/`CountryCode` in the Record Sync nodes: "United States" is written as `US` and codes come back to HubSpot as names.',
	"- `lifecycle_stage_on_closed_won`: the HubSpot stage a won deal's contacts move forward to (`customer`).",
	"- `salesforce_daily_api_cap_percent`: the share of the org's daily API limit (all integrations count) these nodes may bring the day to; 0 = no cap.",
].join('\n');
