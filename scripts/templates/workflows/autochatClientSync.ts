/**
 * autochat-crm-webhook-sync.json: autoch.at CRM client webhooks → the platform contact store
 * and, at once, every CRM switched on in Settings.
 *
 * signed delivery (replays dropped by the trigger) → the client's row in "Platform contacts"
 * (keyed by the autoch.at client id) → the CRM record ids stored in that row → per CRM:
 * Field Merge by the stored id first, phone/email (create if missing) only when there is none
 * or it is gone → the record's id written back into the row, so the next delivery for the
 * client needs no search. The client's address goes to each CRM's address fields (the CRM
 * profile names them), states and countries in the form the CRM stores.
 */
import type { CrmName, ObjectKind } from '../../../nodes/shared/model';
import { profileOf } from '../../../nodes/shared/providers/profiles';
import { PLATFORM_CONTACTS_TABLE, SYNC_LOGS_TABLE } from '../../runtime/dataTables';
import type { FieldSchemas } from '../fieldSchemas';
import { getRows, ifTrue, setFields, setJson, writeRows } from '../nodes';
import { CRM_LABELS, crmNode, fieldMerge, type FieldMergeSpec } from '../parts/crm';
import { CRMS, crmSwitch } from '../parts/crmBranches';
import { syncLogPipeline } from '../parts/syncLog';
import { ensureTables, tablesNote } from '../parts/tables';
import { WorkflowBuilder, type WorkflowJson } from '../workflow';

const TABLES = [PLATFORM_CONTACTS_TABLE, SYNC_LOGS_TABLE];

/** The CRMs a client is written to (autoch.at is where the client comes from). */
export const CLIENT_TARGETS: CrmName[] = ['hubspot', 'salesforce', 'dynamics'];

/** The Platform contacts column holding a CRM's record id for the client. */
export const idColumn = (crm: CrmName): string => `${crm}_id`;
/** Salesforce: whether that id is a Lead or a Contact. */
export const OBJECT_COLUMN = 'salesforce_object';

const CLIENT = '$json.client';
const ROW = "$('Platform contact').first().json";

/** The client's address parts, as the platform row carries them. */
const ADDRESS_PARTS = {
	street: 'street',
	city: 'city',
	state: 'state',
	postalCode: 'postalCode',
	country: 'country',
} as const;

/** The CRM's first address of `kind` mapped from the item's address parts (profile facts). */
function addressValues(crm: CrmName, kind: ObjectKind): Record<string, string> {
	const address = profileOf(crm).address?.fields[kind]?.[0];
	if (!address) throw new Error(`${crm} ${kind} has no address fields in its profile`);
	const values: Record<string, string> = {};
	for (const [part, from] of Object.entries(ADDRESS_PARTS)) {
		const field = address[part as keyof typeof ADDRESS_PARTS];
		if (field) values[field] = `={{ $json.${from} }}`;
	}
	return values;
}

const KEYS = {
	matchBy: 'phone',
	matchValue: '={{ $json.phone }}',
	fallbackValue: '={{ $json.email }}',
} as const;

const FIRST_NAME = '={{ $json.firstName }}';
const LAST_NAME = "={{ $json.lastName || $json.name || 'Unknown' }}";

const CLIENT_WRITES: Record<string, { kind: ObjectKind; spec: FieldMergeSpec }> = {
	hubspot: {
		kind: 'contact',
		spec: {
			objectKind: 'contact',
			...KEYS,
			values: {
				firstname: FIRST_NAME,
				lastname: LAST_NAME,
				email: '={{ $json.email }}',
				phone: '={{ $json.phone }}',
				company: '={{ $json.company }}',
				...addressValues('hubspot', 'contact'),
			},
			defaultMode: 'overwrite',
			createIfMissing: true,
			knownRecordId: `={{ $json.stored.${idColumn('hubspot')} }}`,
			mapStateAndCountry: true,
		},
	},
	salesforce: {
		kind: 'lead',
		spec: {
			objectKind: 'lead',
			...KEYS,
			values: {
				FirstName: FIRST_NAME,
				LastName: LAST_NAME,
				Email: '={{ $json.email }}',
				Phone: '={{ $json.phone }}',
				Company: "={{ $json.company || 'Not provided' }}",
				...addressValues('salesforce', 'lead'),
			},
			defaultMode: 'overwrite',
			createIfMissing: true,
			createAs: 'lead',
			knownRecordId: `={{ $json.stored.${idColumn('salesforce')} }}`,
			knownRecordObject: `={{ $json.stored.${OBJECT_COLUMN} }}`,
			// Codes only where the org has State and Country/Territory Picklists turned on.
			mapStateAndCountry: false,
		},
	},
	dynamics: {
		kind: 'contact',
		spec: {
			objectKind: 'contact',
			...KEYS,
			values: {
				firstname: FIRST_NAME,
				lastname: LAST_NAME,
				emailaddress1: '={{ $json.email }}',
				telephone1: '={{ $json.phone }}',
				...addressValues('dynamics', 'contact'),
			},
			defaultMode: 'overwrite',
			createIfMissing: true,
			createAs: 'contact',
			knownRecordId: `={{ $json.stored.${idColumn('dynamics')} }}`,
			mapStateAndCountry: true,
		},
	},
};

/** A failed item is `{ error, details }`: the client and the CRM are stamped back on it. */
const failedStamp = (crm: CrmName, on: string): string =>
	`{ ...$json, clientId: $('${on}').item.json.clientId ?? null, crm: { ...($json.crm ?? {}), provider: '${crm}' }, failedNode: $prevNode.name }`;

export function autochatWebhook(schemas: FieldSchemas): WorkflowJson {
	const wf = new WorkflowBuilder('autoch.at CRM clients → platform contacts and every CRM');
	const trigger = wf.add(
		crmNode(
			'autochat',
			'autoch.at CRM Trigger',
			'autochatCrmTrigger',
			[0, 300],
			{ events: ['client.created', 'client.updated'], options: {} },
			{
				onError: undefined,
				webhookId: '7d2c4b1e-9a3f-4e5d-8c6b-2f1a0e9d8c7b',
			},
		),
	);
	const settings = wf.add(
		setFields(
			'Settings',
			[220, 300],
			CRMS.map((crm) => [crmSwitch(crm), true, 'boolean'] as [string, boolean, 'boolean']),
			{ keepOtherFields: true },
		),
	);
	wf.connect(trigger, settings);
	const ready = ensureTables(wf, settings, TABLES, [440, 300]);
	const row = wf.add(
		setJson(
			'Platform contact',
			[1100, 300],
			`{
  event: $json.event,
  clientId: String(${CLIENT}.id ?? ''),
  name: ${CLIENT}.name ?? [${CLIENT}.first_name, ${CLIENT}.last_name].filter(Boolean).join(' '),
  firstName: ${CLIENT}.first_name ?? ((${CLIENT}.name ?? '').trim().split(/\\s+/).length > 1 ? (${CLIENT}.name ?? '').trim().split(/\\s+/)[0] : ''),
  lastName: ${CLIENT}.last_name ?? ((${CLIENT}.name ?? '').trim().split(/\\s+/).length > 1 ? (${CLIENT}.name ?? '').trim().split(/\\s+/).slice(1).join(' ') : (${CLIENT}.name ?? '').trim()),
  email: ${CLIENT}.email ?? '',
  phone: ${CLIENT}.phone ?? '',
  company: ${CLIENT}.company ?? '',
  street: ${CLIENT}.address ?? ${CLIENT}.street ?? '',
  city: ${CLIENT}.city ?? '',
  state: ${CLIENT}.state ?? '',
  postalCode: ${CLIENT}.zip ?? ${CLIENT}.postal_code ?? '',
  country: ${CLIENT}.country ?? '',
  crm: 'autochat',
  crmId: String(${CLIENT}.id ?? ''),
  crmUpdatedAt: ${CLIENT}.updated_at ?? null,
  source: 'autochat',
  syncLog: $json.syncLog ?? []
}`,
		),
	);
	const upsert = wf.add(
		writeRows(
			'Upsert into Platform contacts',
			[1320, 200],
			PLATFORM_CONTACTS_TABLE.name,
			'upsert',
			[{ column: 'clientId', condition: 'eq', value: '={{ $json.clientId }}' }],
			{
				clientId: '={{ $json.clientId }}',
				name: '={{ $json.name }}',
				firstName: '={{ $json.firstName }}',
				lastName: '={{ $json.lastName }}',
				email: '={{ $json.email }}',
				phone: '={{ $json.phone }}',
				company: '={{ $json.company }}',
				crm: '={{ $json.crm }}',
				crmId: '={{ $json.crmId }}',
				crmUpdatedAt: '={{ $json.crmUpdatedAt }}',
				source: '={{ $json.source }}',
			},
		),
	);
	const stored = wf.add(
		getRows(
			'Stored CRM ids',
			[1540, 200],
			PLATFORM_CONTACTS_TABLE.name,
			[{ column: 'clientId', condition: 'eq', value: `={{ ${ROW}.clientId }}` }],
			{ limit: 1, alwaysOutputData: true },
		),
	);
	const storedColumns = [...CLIENT_TARGETS.map(idColumn), OBJECT_COLUMN]
		.map((column) => `${column}: $json.${column} ?? ''`)
		.join(', ');
	const withIds = wf.add(
		setJson(
			'Client with stored ids',
			[1760, 200],
			// The receive entry is logged once (from "Platform contact"), not again per CRM.
			`{ ...${ROW}, syncLog: [], stored: { ${storedColumns} } }`,
		),
	);
	const log = syncLogPipeline(wf, [2860, 760], '$json.clientId');
	wf.connect(ready, row).connect(row, upsert).connect(row, log);
	wf.connect(upsert, stored).connect(stored, withIds);

	CLIENT_TARGETS.forEach((crm, index) => {
		const label = CRM_LABELS[crm];
		const { spec } = CLIENT_WRITES[crm];
		const y = index * 240;
		const on = wf.add(
			ifTrue(`${label} on?`, [1980, y], `$('Settings').first().json.${crmSwitch(crm)} === true`),
		);
		const merge = wf.add(
			fieldMerge(schemas, crm, `${label}: create or update the client`, [2200, y], spec),
		);
		const values: Record<string, string> = {
			clientId: '={{ $json.clientId }}',
			[idColumn(crm)]: '={{ $json.crm.record.id }}',
		};
		if (spec.knownRecordObject !== undefined)
			values[OBJECT_COLUMN] = '={{ $json.crm.record.objectType }}';
		const save = wf.add(
			writeRows(
				`${label}: store the record id`,
				[2420, y],
				PLATFORM_CONTACTS_TABLE.name,
				'update',
				[{ column: 'clientId', condition: 'eq', value: '={{ $json.clientId }}' }],
				values,
			),
		);
		const failed = wf.add(
			setJson(`${label}: client failed`, [2420, y + 120], failedStamp(crm, on)),
		);
		wf.connect(withIds, on);
		wf.connect(on, merge, { output: 0 });
		wf.connect(merge, save, { output: 0 });
		wf.connect(merge, log, { output: 0 }).connect(merge, log, { output: 1 });
		wf.connect(merge, failed, { output: 2 }).connect(failed, log);
	});

	wf.sticky(
		[
			'## autoch.at CRM clients → platform contacts and every CRM',
			"When a client is created or updated in autoch.at CRM, the platform's contact store (the **Platform contacts** Data Table, keyed by the autoch.at client id, `source` = autochat) gets it, and so does every CRM switched on in **Settings** (`sync_to_hubspot`, `sync_to_salesforce`, `sync_to_dynamics`), at once: a Salesforce Lead, a HubSpot contact, a Dynamics 365 contact. autoch.at itself is the source, so `sync_to_autochat` writes nothing here.",
			'',
			'**Ids first.** Each CRM write stores its record id in the client\'s row (`hubspot_id`, `salesforce_id` + `salesforce_object`, `dynamics_id`). The next delivery for the client gives that id to Field Merge\'s **Known Record ID**: the record is read by id, no phone/email search. Only when the CRM no longer has it (deleted, merged) is the client matched by phone, then email, and created if missing — the item says `crm.knownRecord.status: "stale"` and the new id is stored.',
			'',
			'**Address**: street, city, state, postal code and country go to each CRM\'s address fields; HubSpot and Dynamics 365 get states and countries as names ("US" → "United States"). Salesforce gets the text fields — switch on **Map State & Country to Codes** there if the org has State and Country/Territory Picklists.',
			'',
			"Setup: copy the trigger's production URL into autoch.at CRM's webhook settings and its signing secret into the credential. Unsigned or wrongly signed deliveries get **401** and start nothing; a replayed or concurrently repeated delivery is answered `duplicate` and starts nothing; concurrent deliveries for one person still give one record per CRM (Field Merge locks the person). Every step is logged in **CRM sync logs**.",
		].join('\n'),
		[-80, -700],
		[620, 560],
		undefined,
		'About this template',
	);
	wf.sticky(tablesNote(TABLES), [1100, 640], [760, 380], 5, 'Data Tables');
	return wf.toJSON();
}
