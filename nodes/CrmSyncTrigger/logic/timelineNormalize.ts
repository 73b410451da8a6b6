/**
 * A listed timeline record (a HubSpot call, meeting, note or email; a Salesforce Task) → the
 * neutral timeline activity, by the CRM profile's field facts. Pure: the people's e-mail
 * addresses come in as a map read by the caller.
 */
import { htmlToPlainText } from '../../shared/logic/html';
import { sanitizeText } from '../../shared/logic/text';
import { isTimelineCopyKey } from '../../shared/logic/timelineKeys';
import type { CrmName, TimelineActivity, TimelinePerson, TimelineType } from '../../shared/model';
import type { RecordData } from '../../shared/providers/CrmProvider';
import type { TimelineLinks, TimelineObjectFacts } from '../../shared/providers/profile';
import { isoTime } from './recordNormalize';

/** Every field of the object the activity is read from. */
export function timelinePropertiesToRead(
	facts: TimelineObjectFacts,
	links: TimelineLinks,
): string[] {
	const fields = [
		facts.byField?.field,
		facts.subject,
		...facts.body.map((body) => body.field),
		...facts.occurredAt,
		facts.direction?.field,
		facts.duration?.field,
		facts.status,
		facts.keyField,
		...(links.by === 'fields' ? [links.person, links.related] : []),
	];
	return [...new Set(fields.filter((field): field is string => field !== undefined))];
}

function text(value: unknown): string | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string') return undefined;
	const clean = sanitizeText(value).trim();
	return clean === '' ? undefined : clean;
}

export function timelineTypeOf(record: RecordData, facts: TimelineObjectFacts): TimelineType {
	if (!facts.byField) return facts.type;
	const value = text(record.properties[facts.byField.field]);
	return (value !== undefined ? facts.byField.values[value] : undefined) ?? facts.type;
}

export interface LinkedIds {
	contactIds: string[];
	leadIds: string[];
	companyIds: string[];
	dealIds: string[];
}

/** Ids the record is about: from its associations, or from its lookup fields by id prefix. */
export function linkedIds(record: RecordData, links: TimelineLinks): LinkedIds {
	if (links.by === 'associations') {
		const associations = record.associations ?? {};
		return {
			contactIds: [...(associations.contact ?? [])],
			leadIds: [...(associations.lead ?? [])],
			companyIds: [...(associations.company ?? [])],
			dealIds: [...(associations.deal ?? [])],
		};
	}
	const ids: LinkedIds = { contactIds: [], leadIds: [], companyIds: [], dealIds: [] };
	const slots: Array<[keyof typeof links.prefixes, keyof LinkedIds]> = [
		['contact', 'contactIds'],
		['lead', 'leadIds'],
		['company', 'companyIds'],
		['deal', 'dealIds'],
	];
	for (const field of [links.person, links.related]) {
		const id = text(record.properties[field]);
		if (id === undefined) continue;
		const slot = slots.find(([kind]) => id.startsWith(links.prefixes[kind]));
		if (slot) ids[slot[1]].push(id);
	}
	return ids;
}

function bodyOf(record: RecordData, facts: TimelineObjectFacts): string {
	for (const { field, html } of facts.body) {
		const raw = record.properties[field];
		if (typeof raw !== 'string' || raw.trim() === '') continue;
		const plain = sanitizeText(html ? htmlToPlainText(raw) : raw).trim();
		if (plain !== '') return plain;
	}
	return '';
}

function occurredAt(record: RecordData, facts: TimelineObjectFacts): string | undefined {
	for (const field of facts.occurredAt) {
		const value = text(record.properties[field]);
		const iso = value === undefined ? null : isoTime(value);
		if (iso !== null && !Number.isNaN(Date.parse(iso))) return iso;
	}
	const created = record.createdAt ? isoTime(record.createdAt) : null;
	return created === null || Number.isNaN(Date.parse(created)) ? undefined : created;
}

function directionOf(
	record: RecordData,
	facts: TimelineObjectFacts,
): TimelineActivity['direction'] {
	if (!facts.direction) return undefined;
	const value = text(record.properties[facts.direction.field]);
	if (value === undefined) return undefined;
	if (facts.direction.inbound.includes(value)) return 'inbound';
	if (facts.direction.outbound.includes(value)) return 'outbound';
	return undefined;
}

function durationOf(record: RecordData, facts: TimelineObjectFacts): number | undefined {
	if (!facts.duration) return undefined;
	const value = Number(text(record.properties[facts.duration.field]));
	return Number.isFinite(value) && value >= 0
		? Math.round(value * facts.duration.unitMs)
		: undefined;
}

export function normalizeActivity(
	crm: CrmName,
	record: RecordData,
	facts: TimelineObjectFacts,
	links: TimelineLinks,
	emails: ReadonlyMap<string, string>,
): TimelineActivity {
	const ids = linkedIds(record, links);
	const people: TimelinePerson[] = [
		...ids.contactIds.map((id) => ({ id, kind: 'contact' as const })),
		...ids.leadIds.map((id) => ({ id, kind: 'lead' as const })),
	].map((person) => {
		const email = emails.get(person.id);
		return email ? { ...person, email } : person;
	});
	const activity: TimelineActivity = {
		crm,
		type: timelineTypeOf(record, facts),
		id: record.id,
		objectType: record.objectType,
		body: bodyOf(record, facts),
		...ids,
		people,
		copiedByPack: facts.keyField ? isTimelineCopyKey(record.properties[facts.keyField]) : false,
	};
	const subject = facts.subject ? text(record.properties[facts.subject]) : undefined;
	if (subject !== undefined) activity.subject = subject;
	const at = occurredAt(record, facts);
	if (at !== undefined) activity.occurredAt = at;
	const direction = directionOf(record, facts);
	if (direction) activity.direction = direction;
	const duration = durationOf(record, facts);
	if (duration !== undefined) activity.durationMs = duration;
	const status = facts.status ? text(record.properties[facts.status]) : undefined;
	if (status !== undefined) activity.status = status;
	return activity;
}
