/**
 * SOQL text for every query the provider sends. Values always go through the shared
 * escapers (backslash and quote escaped in one pass); object and field names are checked
 * against the API-name grammar because they cannot be quoted.
 */
import { escapeSoqlLike, soqlLiteral } from '../../logic/escape';
import { SALESFORCE_RECORD_ID } from './profile';

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
const RECORD_ID = SALESFORCE_RECORD_ID;

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

/** `('a', 'b')`: values escaped as SOQL literals, for `IN`. */
export function soqlInList(values: readonly string[]): string {
	return inList(values);
}

/** `SELECT Id, …` with Id first and no duplicates. */
export function selectList(fields: readonly string[]): string {
	return [...new Set(['Id', ...fields.map(assertFieldName)])].join(', ');
}

/**
 * A LIKE pattern that finds a phone however it is written: the national significant digits
 * in order with `%` before, between and after them, so `+1 (415) 555-0101`, `415.555.0101`,
 * `004414155550101` and `415-555-0101 x12` all match `%4%1%5%5%5%5%0%1%0%1%`. It only narrows:
 * every hit is confirmed by normalising the record's own value. Digits only, so nothing in
 * it needs escaping (it still goes through the LIKE escaper, by construction).
 */
export function phoneLikePattern(nationalNumber: string): string {
	if (!/^\d{1,17}$/.test(nationalNumber))
		throw new Error(`"${nationalNumber}" is not a national phone number`);
	return `'%${[...nationalNumber].map(escapeSoqlLike).join('%')}%'`;
}

function phoneLikes(field: string, patterns: readonly string[]): string[] {
	return patterns.map((pattern) => `${field} LIKE ${pattern}`);
}

/** What an accounts query looks for: ids, websites containing a domain, phones matching a pattern. */
export interface AccountKeys {
	ids?: readonly string[];
	domains?: readonly string[];
	/** Patterns from {@link phoneLikePattern}. */
	phonePatterns?: readonly string[];
}

/** Accounts by id (SOSL hits), by a website containing one of the domains, or by phone pattern. */
export function accountsSoql(keys: AccountKeys): string {
	const conditions: string[] = [];
	if (keys.ids?.length) conditions.push(`Id IN ${inList(keys.ids.map(assertRecordId))}`);
	for (const domain of keys.domains ?? [])
		conditions.push(`Website LIKE '%${escapeSoqlLike(domain)}%'`);
	conditions.push(...phoneLikes('Phone', keys.phonePatterns ?? []));
	if (conditions.length === 0) throw new Error('accountsSoql needs ids, domains or phones');
	return `SELECT ${ACCOUNT_FIELDS.join(', ')} FROM Account WHERE ${conditions.join(' OR ')} ORDER BY CreatedDate DESC`;
}

/**
 * The keys that find people in one query: exact e-mails, phone LIKE patterns, and — when
 * phones are matched through the search index — exact phone spellings and SOSL-found ids.
 */
export interface PersonKeys {
	emails: readonly string[];
	phones: readonly string[];
	ids: readonly string[];
	/** Patterns from {@link phoneLikePattern}. */
	phonePatterns?: readonly string[];
}

/**
 * `(Email IN (…) OR Phone LIKE … OR MobilePhone LIKE … OR Phone IN (…) OR MobilePhone IN (…)
 * OR Id IN (…))` with the parts that have keys, or undefined with no keys.
 */
export function personCondition(keys: PersonKeys): string | undefined {
	const parts: string[] = [];
	if (keys.emails.length > 0) parts.push(`Email IN ${inList(keys.emails)}`);
	const patterns = keys.phonePatterns ?? [];
	parts.push(...phoneLikes('Phone', patterns), ...phoneLikes('MobilePhone', patterns));
	if (keys.phones.length > 0)
		parts.push(`Phone IN ${inList(keys.phones)}`, `MobilePhone IN ${inList(keys.phones)}`);
	if (keys.ids.length > 0) parts.push(`Id IN ${inList(keys.ids.map(assertRecordId))}`);
	return parts.length > 0 ? `(${parts.join(' OR ')})` : undefined;
}

/** Contacts by their keys, each with its account's fields (so the accounts need no query of their own). */
export function contactsWithAccountSoql(condition: string): string {
	const accountFields = ACCOUNT_FIELDS.map((field) => `Account.${field}`);
	return `SELECT ${[...CONTACT_FIELDS, ...accountFields].join(', ')} FROM Contact WHERE ${condition} ORDER BY CreatedDate DESC`;
}

export function leadsByKeysSoql(condition: string): string {
	return `SELECT ${LEAD_FIELDS.join(', ')} FROM Lead WHERE ${condition} AND IsConverted = false ORDER BY CreatedDate DESC`;
}

/**
 * Opportunities of the accounts of the contacts a condition finds, through a semi-join, so
 * they are read in the same round trip as the contacts themselves.
 */
export function opportunitiesOfContactAccountsSoql(
	contactCondition: string,
	openOnly: boolean,
): string {
	const open = openOnly ? ' AND IsClosed = false' : '';
	return `SELECT ${OPPORTUNITY_FIELDS.join(', ')} FROM Opportunity WHERE AccountId IN (SELECT AccountId FROM Contact WHERE ${contactCondition})${open} ORDER BY CreatedDate DESC`;
}

/** Contact roles (with their opportunity) of the contacts a condition finds, through a semi-join. */
export function contactRolesOfContactsSoql(contactCondition: string, openOnly: boolean): string {
	const opportunityFields = OPPORTUNITY_FIELDS.map((field) => `Opportunity.${field}`);
	const open = openOnly ? ' AND Opportunity.IsClosed = false' : '';
	return (
		`SELECT ContactId, ${opportunityFields.join(', ')} FROM OpportunityContactRole` +
		` WHERE ContactId IN (SELECT Id FROM Contact WHERE ${contactCondition})${open} ORDER BY Opportunity.CreatedDate DESC`
	);
}

export function opportunitiesByAccountSoql(
	accountIds: readonly string[],
	openOnly: boolean,
): string {
	const open = openOnly ? ' AND IsClosed = false' : '';
	return `SELECT ${OPPORTUNITY_FIELDS.join(', ')} FROM Opportunity WHERE AccountId IN ${inList(accountIds)}${open} ORDER BY CreatedDate DESC`;
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
 * Events of many (Who, start window) pairs in one query: the windows OR'ed, each ANDed with
 * its contact/lead. Description is selected for the key marker.
 */
export function eventsInWindowsSoql(
	windows: ReadonlyArray<{ from: string; to: string; whoId: string }>,
): string {
	const clauses = windows.map(
		(window) =>
			`(StartDateTime >= ${soqlDateTime(window.from)} AND StartDateTime <= ${soqlDateTime(window.to)}` +
			` AND WhoId = ${soqlLiteral(assertRecordId(window.whoId))})`,
	);
	return (
		`SELECT ${ACTIVITY_FIELDS.join(', ')}, StartDateTime, EndDateTime, Description FROM Event` +
		` WHERE ${clauses.join(' OR ')} ORDER BY StartDateTime`
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
