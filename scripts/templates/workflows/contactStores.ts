/**
 * crm-contacts-inbound-sync.json (Retell / Thoughtly) fills "Platform contacts" from a CRM:
 * CRM Sync Trigger every 5 minutes, keyed by phone; do-not-call kept as the CRM says it —
 * unknown stays unknown. (autoch.at's webhooks: autochatClientSync.ts.)
 */
import { PLATFORM_CONTACTS_TABLE, SYNC_LOGS_TABLE } from '../../runtime/dataTables';
import { ifTrue, setJson, writeRows } from '../nodes';
import { crmNode } from '../parts/crm';
import { syncLogPipeline } from '../parts/syncLog';
import { ensureTables, tablesNote } from '../parts/tables';
import { WorkflowBuilder, type WorkflowJson } from '../workflow';

const TABLES = [PLATFORM_CONTACTS_TABLE, SYNC_LOGS_TABLE];

export function inboundContacts(): WorkflowJson {
	const wf = new WorkflowBuilder('CRM contacts → platform contact store (inbound sync)');
	const trigger = wf.add(
		crmNode(
			'hubspot',
			'CRM Sync Trigger',
			'crmSyncTrigger',
			[0, 300],
			{
				pollTimes: { item: [{ mode: 'everyX', value: 5, unit: 'minutes' }] },
				objectType: 'contacts',
				extraFields: [],
				standardAttributes: ['leadSource', 'lifecycleStage'],
				firstPoll: 'hoursBack',
				hoursBack: 24,
				defaultCountry: 'US',
				options: { pageSize: 200 },
			},
			{ onError: undefined },
		),
	);
	const ready = ensureTables(wf, trigger, TABLES, [220, 300]);
	const hasPhone = wf.add(ifTrue('Has a phone?', [880, 300], "($json.phone ?? '') !== ''"));
	const row = wf.add(
		setJson(
			'Contact row',
			[1100, 200],
			`{
  crm: $('CRM Sync Trigger').params.crm,
  crmId: String($json.crmId),
  phone: $json.phone,
  firstName: $json.firstName ?? '',
  lastName: $json.lastName ?? '',
  name: [$json.firstName, $json.lastName].filter(Boolean).join(' '),
  email: $json.email ?? '',
  doNotCall: typeof $json.doNotCall === 'boolean' ? $json.doNotCall : null,
  crmUpdatedAt: $json.updatedAt ?? null,
  leadSource: $json.attributes?.leadSource?.value ?? null,
  leadSourceLabel: $json.attributes?.leadSource?.label ?? null,
  lifecycleStage: $json.attributes?.lifecycleStage?.value ?? null,
  lifecycleStageLabel: $json.attributes?.lifecycleStage?.label ?? null,
  source: 'crm',
  syncLog: [...($json.syncLog ?? []), ...(($json.warnings ?? []).length === 0 ? [] : [{ at: $now.toUTC().toISO(), crm: $('CRM Sync Trigger').params.crm, operation: 'import-attribute', status: 'skipped', reason: $json.warnings.join('; '), target: { type: 'contact', id: String($json.crmId) } }])]
}`,
		),
	);
	const upsert = wf.add(
		writeRows(
			'Upsert by phone',
			[1320, 100],
			PLATFORM_CONTACTS_TABLE.name,
			'upsert',
			[{ column: 'phone', condition: 'eq', value: '={{ $json.phone }}' }],
			{
				crm: '={{ $json.crm }}',
				crmId: '={{ $json.crmId }}',
				phone: '={{ $json.phone }}',
				firstName: '={{ $json.firstName }}',
				lastName: '={{ $json.lastName }}',
				name: '={{ $json.name }}',
				email: '={{ $json.email }}',
				doNotCall: '={{ $json.doNotCall }}',
				crmUpdatedAt: '={{ $json.crmUpdatedAt }}',
				leadSource: '={{ $json.leadSource }}',
				leadSourceLabel: '={{ $json.leadSourceLabel }}',
				lifecycleStage: '={{ $json.lifecycleStage }}',
				lifecycleStageLabel: '={{ $json.lifecycleStageLabel }}',
				source: '={{ $json.source }}',
			},
		),
	);
	const skipped = wf.add(
		setJson(
			'No usable phone',
			[1100, 440],
			"{ crmId: String($json.crmId), syncLog: [...($json.syncLog ?? []), { at: $now.toUTC().toISO(), crm: $('CRM Sync Trigger').params.crm, operation: 'import-contact', status: 'skipped', reason: $json.phoneReason ?? 'no phone number', target: { type: 'contact', id: String($json.crmId) } }] }",
		),
	);
	const log = syncLogPipeline(wf, [1320, 440], '$json.crmId');
	wf.connect(ready, hasPhone);
	wf.connect(hasPhone, row, { output: 0 }).connect(hasPhone, skipped, { output: 1 });
	wf.connect(row, upsert).connect(row, log).connect(skipped, log);

	wf.sticky(
		[
			'## CRM contacts → platform contact store',
			'Every 5 minutes **CRM Sync Trigger** returns the contacts created or changed since its last poll (first poll: the last 24 h), normalised: `crmId`, `phone` (E.164), names, `email`, `doNotCall`.',
			'',
			'Each one is upserted into **Platform contacts**, keyed by phone, with `source` = crm (the scheduled updates do not push these rows back). `doNotCall` is true or false when the CRM says so and **empty when it does not know** (HubSpot and autoch.at have no standard do-not-call field; name one in the trigger\'s options): filter on `doNotCall = false` before dialling, never on "not true".',
			'Contacts without a usable phone are skipped and logged with the reason.',
			'',
			"**Lead source and lifecycle stage** come from the trigger's **Standard Attributes** (each CRM's own field, e.g. HubSpot `hs_analytics_source` / `lifecyclestage`, Salesforce `LeadSource` / Lead `Status`) into `leadSource` / `lifecycleStage` with their CRM labels; empty when the CRM has no such field or value.",
			'',
			'**To add an attribute:** on the trigger open **Attribute Mapping** → *Add Attribute*, pick the CRM field, name the attribute (e.g. `annualBudget`) and choose its type (String, Number, Boolean, Date, Date & Time, Enum). It arrives as `$json.attributes.annualBudget`; add a column of that name to **Platform contacts** and the line `annualBudget: $json.attributes?.annualBudget ?? null` in **Contact row**, then map it in **Upsert by phone**. A CRM value that does not fit the type is stored empty and logged as a skipped `import-attribute` row naming the record, field and attribute.',
			'',
			'Switch **CRM** on the trigger for Salesforce (Contacts or Leads, optional SOQL condition), Dynamics 365 (OData filter) or autoch.at CRM; the `crm` column follows it.',
		].join('\n'),
		[-80, -820],
		[560, 620],
		undefined,
		'About this template',
	);
	wf.sticky(tablesNote(TABLES), [1320, 640], [760, 380], 5, 'Data Tables');
	return wf.toJSON();
}
