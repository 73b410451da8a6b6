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
	aggregateAll,
	deleteRows,
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

/** The field of "Records with their links" holding one sync's records. */
const listField = (key: string): string => key.replace(':', '_');

/** Field → the sync whose records it holds and the Settings switch of that sync's target. */
function syncLists(): Record<string, { sync: string; switch: string }> {
	const entries: Array<[string, { sync: string; switch: string }]> = [];
	for (const direction of DIRECTIONS)
		for (const kind of KINDS) {
			const key = syncKey(direction, kind);
			entries.push([listField(key), { sync: key, switch: crmSwitch(direction.target) }]);
		}
	return Object.fromEntries(entries);
}

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
  const records = $('Records to sync').first().json.records.map((record) => ({
    ...record,
    linkRow: links[record.recordKey] ?? null,
    ...(record.associations && typeof record.associations === 'object' ? { associations: resolved(record.crm, record.associations) } : {}),
  }));
  // One list per sync; a target switched off in Settings gets none.
  const settings = $('Settings').first().json;
  const lists = ${literal(syncLists())};
  return Object.fromEntries(Object.entries(lists).map(([field, list]) => [field, settings[list.switch] === true ? records.filter((record) => record.sync === list.sync) : []]));
})()`);

/**
 * The trigger's neutral person fields: copies of CRM fields the mappings read from `fields`, left
 * out of the gathered items (n8n gives an expression 128 MB; a 10,000-record run needs the room).
 */
const NEUTRAL_PERSON_FIELDS = [
	'firstName',
	'lastName',
	'email',
	'emailReason',
	'phone',
	'phoneField',
	'phoneReason',
	'doNotCall',
];

/** One pass over a Record Sync node's output (gathered into `items`): what to store where. */
const AFTER_THE_SYNC = expression(`(() => {
  const items = $json.items ?? [];
  const now = $now.toUTC().toISO();
  const rowsOf = (item) => ((item.link ?? {}).rows ?? []);
  const action = (item) => (item.recordSync ?? {}).action;
  // A held-back record is queued as delivered, without what the run added.
  const stripped = (item) => Object.fromEntries(Object.entries(item).filter(([name]) => !['recordSync', 'link', 'linkRow', 'syncLog'].includes(name)));
  const fieldsOf = (item) => item.fields ?? {};
  const won = (item) => ['created', 'updated'].includes(action(item)) && ((item.properties ?? {}).won === true || fieldsOf(item).IsWon === true || fieldsOf(item).StageName === 'Closed Won' || fieldsOf(item).dealstage === 'closedwon');
  // A won deal's HubSpot contacts: its own (HubSpot deal) or its contact roles' counterparts (Salesforce).
  const contactIds = (item) => (((item.associations ?? {}).contact) ?? [])
    .map((entry) => typeof entry === 'object' && entry !== null ? (item.crm === 'hubspot' ? entry.id : entry.counterpartId) : (item.crm === 'hubspot' ? entry : undefined))
    .filter((id) => id !== undefined && id !== null && id !== '')
    .map((id) => String(id));
  const seen = {};
  const log = items.flatMap((item) => (item.syncLog ?? []).map((entry) => ({
    time: entry.at,
    crm: entry.crm ?? '',
    type: entry.operation ?? '',
    client: item.recordKey ?? '',
    status: entry.status ?? '',
    error: entry.status === 'success' ? '' : (entry.reason ?? ''),
    record: (entry.target ?? {}).id ?? '',
    workflow: $workflow.name
  }))).filter((row) => {
    const key = row.client + '|' + row.type + '|' + row.time + '|' + row.status;
    const first = seen[key] === undefined;
    seen[key] = true;
    return first;
  });
  return {
    sync: (items[0] ?? {}).sync ?? '',
    startedAt: $('Records to sync').first().json.startedAt,
    newLinks: items.filter((item) => !item.linkRow).flatMap(rowsOf),
    changedLinks: items.filter((item) => !!item.linkRow).flatMap(rowsOf),
    queue: items.filter((item) => action(item) === 'deferred').map((item) => ({ key: item.recordKey, sync: item.sync, record: JSON.stringify(stripped(item)), reason: item.recordSync.reason, queuedAt: now })),
    won: items.filter(won).flatMap((item) => contactIds(item).map((id) => ({ hubspotContactId: id, deal: item.recordKey, syncLog: [] }))),
    log,
  };
})()`);

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
		setJson('Records with their links', [2640, 600], WITH_LINKS, { executeOnce: true }),
	);
	wf.connect(ready, started).connect(started, queue).connect(queue, collect);
	wf.connect(collect, any).connect(any, links, { output: 0 });
	wf.connect(links, linked);

	// After every Record Sync, one pass over all its items (no per-item expressions: a backfill
	// brings thousands): link rows, held-back records, won deals' contacts, sync-log rows.
	const x = 3740;
	const gathered = wf.add(
		aggregateAll('All synced records', [x, 300], 'items', NEUTRAL_PERSON_FIELDS),
	);
	const after = wf.add(setJson('After the sync', [x + 220, 300], AFTER_THE_SYNC));
	wf.connect(gathered, after);
	const newRows = wf.add(splitItems('New link rows', [x + 440, 0], 'newLinks'));
	const insertLinks = wf.add(insertRows('Save new links', [x + 660, 0], RECORD_LINKS_TABLE.name));
	const knownRows = wf.add(splitItems('Changed link rows', [x + 440, 150], 'changedLinks'));
	const linkColumns = Object.fromEntries(
		RECORD_LINKS_TABLE.columns.map((column) => [column.name, `={{ $json.${column.name} }}`]),
	);
	const upsertLinks = wf.add(
		writeRows(
			'Update links',
			[x + 660, 150],
			RECORD_LINKS_TABLE.name,
			'upsert',
			[{ column: 'key', condition: 'eq', value: '={{ $json.key }}' }],
			linkColumns,
		),
	);
	const queueRows = wf.add(splitItems('Held-back records', [x + 440, 300], 'queue'));
	const enqueue = wf.add(insertRows('Add to sync queue', [x + 660, 300], SYNC_QUEUE_TABLE.name));
	// Below the queue branch: n8n runs a node's branches top to bottom, so the rows held back
	// again are in the queue before the delivered ones are cleared.
	const cleared = wf.add(
		deleteRows(
			'Clear delivered queue rows',
			[x + 440, 450],
			SYNC_QUEUE_TABLE.name,
			[
				{ column: 'sync', condition: 'eq', value: '={{ $json.sync }}' },
				{ column: 'queuedAt', condition: 'lt', value: '={{ $json.startedAt }}' },
			],
			{ executeOnce: true },
		),
	);
	const logRows = wf.add(splitItems('Sync-log rows', [x + 440, 600], 'log'));
	const saveLog = wf.add(insertRows('Save sync-log rows', [x + 660, 600], SYNC_LOGS_TABLE.name));
	wf.connect(after, newRows).connect(newRows, insertLinks);
	wf.connect(after, knownRows).connect(knownRows, upsertLinks);
	wf.connect(after, queueRows).connect(queueRows, enqueue);
	wf.connect(after, cleared);
	wf.connect(after, logRows).connect(logRows, saveLog);

	// Closed Won → the deal's contacts move forward to the Settings stage in HubSpot.
	const eachContact = wf.add(splitItems("Won deals' HubSpot contacts", [x + 440, 750], 'won'));
	const hubspotOn = wf.add(
		ifTrue(
			'HubSpot on? (lifecycle stage)',
			[x + 660, 750],
			`${SETTING(crmSwitch('hubspot'))} === true`,
		),
	);
	const stage = wf.add(
		fieldMerge(schemas, 'hubspot', 'HubSpot: lifecycle stage on Closed Won', [x + 880, 750], {
			objectKind: 'contact',
			matchBy: 'id',
			matchValue: '={{ $json.hubspotContactId }}',
			values: { lifecyclestage: `={{ ${SETTING(SETTINGS.wonStage)} }}` },
			defaultMode: 'overwrite',
			modes: { lifecyclestage: 'advanceOnly' },
			createIfMissing: false,
		}),
	);
	wf.connect(after, eachContact).connect(eachContact, hubspotOn);
	wf.connect(hubspotOn, stage, { output: 0 });

	const log = syncLogPipeline(
		wf,
		[x + 1100, 1000],
		"$json.recordKey ?? ($json.hubspotContactId ? 'hubspot:contacts:' + $json.hubspotContactId : '')",
	);
	const failed = wf.add(
		setJson('Record failed', [x, 1000], '{ ...$json, failedNode: $prevNode.name }'),
	);
	wf.connect(failed, log);
	wf.connect(stage, log, { output: 0 }).connect(stage, log, { output: 1 });
	wf.connect(stage, failed, { output: 2 });

	// One list per sync (a target switched off in Settings gets an empty one) → its Record Sync.
	let index = 0;
	for (const direction of DIRECTIONS)
		for (const kind of KINDS) {
			const label = `${CRM_LABELS[direction.source]} → ${CRM_LABELS[direction.target]}: ${KIND_LABELS[kind]}`;
			const y = index * 200;
			const mine = wf.add(
				splitItems(`${label} (records)`, [3080, y], listField(syncKey(direction, kind))),
			);
			const sync = wf.add(recordSync(label, [3300, y], direction, kind));
			wf.connect(linked, mine).connect(mine, sync);
			wf.connect(sync, gathered, { output: 0 });
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
