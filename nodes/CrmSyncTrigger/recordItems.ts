/**
 * Output items of one poll: person records as the neutral contact (unchanged shape, plus the
 * change event and, when asked, associations), companies and deals as the neutral record,
 * deleted records as `{ event: 'deleted' }` — each with its sync-log entry.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { CrmName, ObjectKind } from '../shared/model';
import { shareCalls, syncLog } from '../shared/node/syncLog';
import type { DeletedRecord, RecordData } from '../shared/providers/CrmProvider';
import { normalizeContact, type ContactFieldMap } from './logic/contactNormalize';
import { changeEvent, isoTime, isRecordKind, normalizeRecord } from './logic/recordNormalize';
import type { PollCursor } from './logic/pollCursor';
import type { SyncTriggerSettings } from './settings';
import { attributesOf, type AttributePlan } from './attributes';

export interface ItemContext {
	crm: CrmName;
	kind: ObjectKind;
	settings: SyncTriggerSettings;
	/** The contact field map (person kinds). */
	map: ContactFieldMap;
	/** Typed attribute mappings, for every kind. */
	plan: AttributePlan;
	/** The cursor the listing started from, for created vs updated. */
	listedFrom: PollCursor;
}

function outputOf(record: RecordData, context: ItemContext): IDataObject {
	const { crm, kind, settings, map, plan, listedFrom } = context;
	if (isRecordKind(kind))
		return {
			...(normalizeRecord(crm, kind, record, {
				extraFields: settings.extraFields,
				listedFrom,
			}) as unknown as IDataObject),
			...attributesOf(record, plan),
		};
	const contact = normalizeContact(record, map, {
		defaultCountry: settings.defaultCountry,
		extraFields: settings.extraFields,
	});
	return {
		...contact,
		event: changeEvent(record, listedFrom),
		...(record.associations ? { associations: record.associations } : {}),
		...attributesOf(record, plan),
	} as unknown as IDataObject;
}

export function changeItems(
	context: ItemContext,
	records: RecordData[],
	apiCalls: number,
	reason?: string,
): INodeExecutionData[] {
	const calls = shareCalls(apiCalls, records.length);
	return records.map((record, index) => {
		const entry = syncLog(context.crm, 'poll', 'success', {
			apiCalls: calls[index],
			target: { type: record.objectType, id: record.id },
			reason,
		});
		return { json: { ...outputOf(record, context), syncLog: [entry] } as IDataObject };
	});
}

export function deletionItems(
	crm: CrmName,
	kind: ObjectKind,
	records: DeletedRecord[],
	apiCalls: number,
): INodeExecutionData[] {
	const calls = shareCalls(apiCalls, records.length);
	return records.map((record, index) => {
		const entry = syncLog(crm, 'poll', 'success', {
			apiCalls: calls[index],
			target: { type: record.objectType, id: record.id },
			reason: 'deleted in the CRM',
		});
		const json = {
			crm,
			objectType: record.objectType,
			kind,
			id: record.id,
			// Person items are keyed by crmId elsewhere in the pack: the same key here.
			crmId: record.id,
			event: 'deleted',
			deletedAt: record.deletedAt === undefined ? null : isoTime(record.deletedAt),
			syncLog: [entry],
		};
		return { json: json as unknown as IDataObject };
	});
}
