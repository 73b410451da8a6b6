/**
 * SOQL text for every query the provider sends. Values always go through the shared
 * escapers (backslash and quote escaped in one pass); object and field names are checked
 * against the API-name grammar because they cannot be quoted.
 */
import { escapeSoqlLike, soqlLiteral } from '../../logic/escape';

export const CONTACT_FIELDS = [
	'Id',
	'Name',
	'Phone',
	'MobilePhone',
	'Email',
	'AccountId',
	'OwnerId',
	'CreatedDate',
];
export const LEAD_FIELDS = [
	'Id',
	'Name',
	'Phone',
	'MobilePhone',
	'Email',
	'Company',
	'OwnerId',
	'IsConverted',
	'CreatedDate',
];
export const ACCOUNT_FIELDS = ['Id', 'Name', 'Phone', 'Website', 'OwnerId', 'CreatedDate'];
export const OPPORTUNITY_FIELDS = [
	'Id',
	'Name',
	'AccountId',
	'OwnerId',
	'StageName',
	'IsClosed',
	'CloseDate',
	'CreatedDate',
];

/** Object and field API names (`Account`, `Custom__c`, `ns__Field__c`); relationship paths with dots for fields. */
const API_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;
const FIELD_PATH = /^[A-Za-z][A-Za-z0-9_]{0,79}(\.[A-Za-z][A-Za-z0-9_]{0,79}){0,4}$/;
/** 15- or 18-character Salesforce record ids. */
const RECORD_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;

export function assertObjectName(name: string): string {
	if (!API_NAME.test(name)) throw new Error(`"${name}" is not a valid Salesforce object name`);
	return name;
}

export function assertFieldName(name: string): string {
	if (!FIELD_PATH.test(name)) throw new Error(`"${name}" is not a valid Salesforce field name`);
	return name;
}

export function isRecordId(id: string): boolean {
	return RECORD_ID.test(id);
}

export function assertRecordId(id: string): string {
	if (!isRecordId(id)) throw new Error(`"${id}" is not a valid Salesforce record id`);
	return id;
}

function inList(values: readonly string[]): string {
	return `(${values.map(soqlLiteral).join(', ')})`;
}

/** `SELECT Id, …` with Id first and no duplicates. */
export function selectList(fields: readonly string[]): string {
	return [...new Set(['Id', ...fields.map(assertFieldName)])].join(', ');
}

export function contactsByEmailSoql(emails: readonly string[]): string {
	return `SELECT ${CONTACT_FIELDS.join(', ')} FROM Contact WHERE Email IN ${inList(emails)} ORDER BY CreatedDate DESC`;
}

export function leadsByEmailSoql(emails: readonly string[]): string {
	return `SELECT ${LEAD_FIELDS.join(', ')} FROM Lead WHERE Email IN ${inList(emails)} AND IsConverted = false ORDER BY CreatedDate DESC`;
}

/**
 * Contacts / leads whose Phone or MobilePhone is exactly one of the spellings. Unlike the
 * phone SOSL, SOQL reads the records themselves, not the search index, so a record written
 * a moment ago (stored in one of these spellings, as the pack writes phones) is found.
 */
export function contactsByPhoneSoql(phones: readonly string[]): string {
	return `SELECT ${CONTACT_FIELDS.join(', ')} FROM Contact WHERE Phone IN ${inList(phones)} OR MobilePhone IN ${inList(phones)} ORDER BY CreatedDate DESC`;
}

export function leadsByPhoneSoql(phones: readonly string[]): string {
	return `SELECT ${LEAD_FIELDS.join(', ')} FROM Lead WHERE (Phone IN ${inList(phones)} OR MobilePhone IN ${inList(phones)}) AND IsConverted = false ORDER BY CreatedDate DESC`;
}

/** Accounts by id (accounts of matched contacts) and/or by a website containing one of the domains. */
export function accountsSoql(ids: readonly string[], domains: readonly string[]): string {
	const conditions: string[] = [];
	if (ids.length > 0) conditions.push(`Id IN ${inList(ids)}`);
	for (const domain of domains) conditions.push(`Website LIKE '%${escapeSoqlLike(domain)}%'`);
	if (conditions.length === 0) throw new Error('accountsSoql needs ids or domains');
	return `SELECT ${ACCOUNT_FIELDS.join(', ')} FROM Account WHERE ${conditions.join(' OR ')} ORDER BY CreatedDate DESC`;
}

export function opportunitiesByAccountSoql(
	accountIds: readonly string[],
	openOnly: boolean,
): string {
	const open = openOnly ? ' AND IsClosed = false' : '';
	return `SELECT ${OPPORTUNITY_FIELDS.join(', ')} FROM Opportunity WHERE AccountId IN ${inList(accountIds)}${open} ORDER BY CreatedDate DESC`;
}

export function contactRolesSoql(contactIds: readonly string[], openOnly: boolean): string {
	const opportunityFields = OPPORTUNITY_FIELDS.map((field) => `Opportunity.${field}`);
	const open = openOnly ? ' AND Opportunity.IsClosed = false' : '';
	return (
		`SELECT ContactId, ${opportunityFields.join(', ')} FROM OpportunityContactRole` +
		` WHERE ContactId IN ${inList(contactIds)}${open} ORDER BY Opportunity.CreatedDate DESC`
	);
}

export function activeUsersByEmailSoql(emails: readonly string[]): string {
	return `SELECT Id, Email FROM User WHERE Email IN ${inList(emails)} AND IsActive = true`;
}

/** SOQL datetime literals are unquoted `YYYY-MM-DDThh:mm:ssZ`. */
export function soqlDateTime(iso: string): string {
	const ms = Date.parse(iso);
	if (Number.isNaN(ms)) throw new Error(`"${iso}" is not a valid timestamp`);
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const ACTIVITY_FIELDS = [
	'Id',
	'Subject',
	'WhoId',
	'WhatId',
	'OwnerId',
	'CreatedDate',
	'LastModifiedDate',
];

/** Tasks (call logs and action items) keep the draft key in CallObject, which SOQL can filter on. */
export function tasksByKeySoql(keys: readonly string[]): string {
	return `SELECT ${ACTIVITY_FIELDS.join(', ')}, CallObject FROM Task WHERE CallObject IN ${inList(keys)} ORDER BY CreatedDate DESC`;
}

/** Events starting inside [from, to], optionally for one Who (contact/lead). Description is selected for the key marker. */
export function eventsInWindowSoql(from: string, to: string, whoId?: string): string {
	const who = whoId ? ` AND WhoId = ${soqlLiteral(assertRecordId(whoId))}` : '';
	return (
		`SELECT ${ACTIVITY_FIELDS.join(', ')}, StartDateTime, EndDateTime, Description FROM Event` +
		` WHERE StartDateTime >= ${soqlDateTime(from)} AND StartDateTime <= ${soqlDateTime(to)}${who} ORDER BY StartDateTime`
	);
}

/**
 * Records modified at or after `since`, oldest first, Id as tie-breaker so paging is
 * stable. `filter` is an extra SOQL condition typed by the workflow's admin in the
 * trigger's settings: it is trusted configuration (like a saved list view), never data
 * from a call, and is wrapped in parentheses so its ORs cannot escape the AND.
 */
export function listChangedSoql(
	objectType: string,
	since: string,
	properties: readonly string[],
	filter?: string,
): string {
	const fields = selectList([...properties, 'SystemModstamp', 'CreatedDate']);
	const extra = filter && filter.trim() ? ` AND (${filter.trim()})` : '';
	return (
		`SELECT ${fields} FROM ${assertObjectName(objectType)} WHERE SystemModstamp >= ${soqlDateTime(since)}${extra}` +
		' ORDER BY SystemModstamp, Id'
	);
}

/**
 * Links from the given records to notes (ContentDocument of type SNOTE) with one of the
 * titles. Salesforce only queries ContentDocumentLink filtered by LinkedEntityId or
 * ContentDocumentId with `=` or `IN`, which this always is.
 */
export function noteLinksSoql(targetIds: readonly string[], titles: readonly string[]): string {
	return (
		'SELECT ContentDocumentId, LinkedEntityId, ContentDocument.Title FROM ContentDocumentLink' +
		` WHERE LinkedEntityId IN ${inList(targetIds.map(assertRecordId))} AND ContentDocument.FileType = 'SNOTE'` +
		` AND ContentDocument.Title IN ${inList(titles)}`
	);
}

/** Legacy Notes on the given parents with one of the titles; Body is read to confirm the Ref line. */
export function legacyNotesSoql(parentIds: readonly string[], titles: readonly string[]): string {
	return (
		`SELECT Id, ParentId, Title, Body, CreatedDate FROM Note WHERE ParentId IN ${inList(parentIds.map(assertRecordId))}` +
		` AND Title IN ${inList(titles)} ORDER BY CreatedDate`
	);
}
