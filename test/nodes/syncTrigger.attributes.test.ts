/**
 * CRM Sync Trigger typed attributes through n8n-core's real poll machinery against the local
 * sandbox, per CRM: ready mappings (lead source, lifecycle stage) with their labels from the
 * CRM's own field description, typed custom mappings, and a value that does not convert →
 * null plus a warning naming record, field and attribute, while the poll goes on.
 */
import type { IDataObject } from 'n8n-workflow';

import { contacts, syncTriggerSuite } from './support/syncTriggerSetup';

type WithAttributes = {
	crmId: string;
	doNotCall: boolean | null;
	attributes: Record<string, unknown>;
	warnings?: string[];
};
const typed = (items: Array<{ json: IDataObject }>) =>
	contacts(items) as unknown as WithAttributes[];
const byId = (items: WithAttributes[], id: string) => items.find((item) => item.crmId === id);

const mapping = (crmField: string, attribute: string, type: string) => ({
	crmField,
	attribute,
	type,
});

describe('CRM Sync Trigger typed attributes — HubSpot', () => {
	const suite = syncTriggerSuite({
		crm: 'hubspot',
		parameters: { objectType: 'contacts' },
		sandbox: { rateLimits: { hubspot: false } },
		person: (prefix, i) => ({
			firstname: `${prefix}${i}`,
			lastname: 'Test',
			phone: `+1 415 555 ${String(1000 + i).slice(-4)}`,
		}),
	});

	it('ready mappings with labels, typed custom fields from HubSpot strings, and a bad value as null + warning', async () => {
		const poller = suite.runner({
			standardAttributes: ['leadSource', 'lifecycleStage'],
			attributeMapping: {
				mappings: [
					mapping('annual_budget', 'budget', 'number'),
					mapping('decision_maker', 'decisionMaker', 'boolean'),
					mapping('preferred_contact_date', 'callOn', 'date'),
					mapping('notes_last_contacted', 'lastContacted', 'datetime'),
					mapping('hs_lead_status', 'leadStatus', 'enum'),
				],
			},
		});
		const [good, bad, empty] = suite.plant(
			'contacts',
			3,
			'Typed',
			(i) =>
				[
					{
						hs_analytics_source: 'OFFLINE',
						lifecyclestage: 'marketingqualifiedlead',
						annual_budget: '1250.50',
						decision_maker: 'false',
						preferred_contact_date: '2026-12-24',
						notes_last_contacted: '2026-12-01T09:15:00.000Z',
						hs_lead_status: 'IN_PROGRESS',
					},
					{ annual_budget: 'about 5k', decision_maker: 'true', lifecyclestage: 'customer' },
					{},
				][i],
		);
		const items = typed((await poller.poll()).items);
		expect(byId(items, good)?.attributes).toEqual({
			leadSource: { value: 'OFFLINE', label: 'Offline Sources' },
			lifecycleStage: { value: 'marketingqualifiedlead', label: 'Marketing Qualified Lead' },
			budget: 1250.5,
			decisionMaker: false,
			callOn: '2026-12-24',
			lastContacted: '2026-12-01T09:15:00.000Z',
			leadStatus: { value: 'IN_PROGRESS', label: 'In Progress' },
		});
		expect(byId(items, good)?.warnings).toBeUndefined();
		expect(byId(items, bad)).toMatchObject({
			attributes: {
				leadSource: null,
				lifecycleStage: { value: 'customer', label: 'Customer' },
				budget: null,
				decisionMaker: true,
			},
			warnings: [
				`Record ${bad}: CRM field "annual_budget" → attribute "budget": "about 5k" is not a number; the attribute is null`,
			],
		});
		// Nothing set in the CRM: every attribute unknown — not false, not 0.
		expect(byId(items, empty)?.attributes).toEqual({
			leadSource: null,
			lifecycleStage: null,
			budget: null,
			decisionMaker: null,
			callOn: null,
			lastContacted: null,
			leadStatus: null,
		});
		expect(byId(items, empty)?.doNotCall).toBeNull();
		// One description (cached) for the labels, one search for the records.
		const calls = suite.sandbox.admin.requests('hubspot').map((r) => `${r.method} ${r.path}`);
		expect(calls.filter((c) => c.includes('/properties/contacts'))).toHaveLength(1);
	});

	it('list mode: an added member carries the same typed attributes (read in the batch record read)', async () => {
		const [member] = suite.plant('contacts', 1, 'Listed', () => ({
			lifecyclestage: 'lead',
			annual_budget: '900',
		}));
		const listId = suite.sandbox.admin.putRecords('hubspot', 'lists', [
			{ name: 'Typed members', objectTypeId: '0-1', processingType: 'MANUAL' },
		])[0].id;
		suite.sandbox.admin.addMembers('hubspot', listId, [member]);
		const poller = suite.runner({
			records: 'segment',
			segmentId: listId,
			firstSegmentPoll: 'everything',
			standardAttributes: ['lifecycleStage'],
			attributeMapping: { mappings: [mapping('annual_budget', 'budget', 'number')] },
		});
		const [item] = typed((await poller.poll()).items);
		expect(item).toMatchObject({
			crmId: member,
			change: 'added',
			attributes: { lifecycleStage: { value: 'lead', label: 'Lead' }, budget: 900 },
		});
	});

	it('an attribute mapping that names no field stops the poll with an error naming the mapping', async () => {
		const poller = suite.runner({
			attributeMapping: { mappings: [mapping('', 'x', 'string')] },
		});
		suite.plant('contacts', 1, 'Err');
		await expect(poller.poll()).rejects.toThrow('Attribute Mapping 1 needs a CRM field');
	});
});

describe('CRM Sync Trigger typed attributes — Salesforce', () => {
	const suite = syncTriggerSuite({
		crm: 'salesforce',
		parameters: { objectType: 'Lead' },
		person: (prefix, i) => ({
			FirstName: `${prefix}${i}`,
			LastName: 'Test',
			Company: 'Acme',
			Phone: `(415) 555-${String(1000 + i).slice(-4)}`,
		}),
	});

	it('Lead: LeadSource and Lead Status as ready mappings; a text field mapped as a number', async () => {
		const poller = suite.runner({
			standardAttributes: ['leadSource', 'lifecycleStage'],
			attributeMapping: {
				mappings: [
					mapping('Title', 'titleNumber', 'number'),
					mapping('LastActivityDate', 'lastActivity', 'date'),
				],
			},
		});
		const [web, odd] = suite.plant(
			'Lead',
			2,
			'Sf',
			(i) =>
				[
					{ LeadSource: 'Web', Status: 'Working - Contacted', Title: '42' },
					{
						LeadSource: 'Partner Referral',
						Status: 'Closed - Not Converted',
						Title: 'Head of Sales',
					},
				][i],
		);
		const items = typed((await poller.poll()).items);
		expect(byId(items, web)?.attributes).toEqual({
			leadSource: { value: 'Web', label: 'Web' },
			lifecycleStage: { value: 'Working - Contacted', label: 'Working - Contacted' },
			titleNumber: 42,
			lastActivity: null,
		});
		expect(byId(items, odd)?.attributes).toMatchObject({
			leadSource: { value: 'Partner Referral', label: 'Partner Referral' },
			lifecycleStage: { value: 'Closed - Not Converted', label: 'Closed - Not Converted' },
			titleNumber: null,
		});
		expect(byId(items, odd)?.warnings).toEqual([
			`Record ${odd}: CRM field "Title" → attribute "titleNumber": "Head of Sales" is not a number; the attribute is null`,
		]);
	});

	it('Contact: lifecycle stage has no Salesforce field, so it is null, never made up', async () => {
		const poller = suite.runner({
			objectType: 'Contact',
			standardAttributes: ['leadSource', 'lifecycleStage'],
		});
		const [id] = suite.plant('Contact', 1, 'SfC', () => ({ LeadSource: 'Web' }));
		const [item] = typed((await poller.poll()).items);
		expect(item.crmId).toBe(id);
		expect(item.attributes).toEqual({
			leadSource: { value: 'Web', label: 'Web' },
			lifecycleStage: null,
		});
	});
});

describe('CRM Sync Trigger typed attributes — Dynamics 365', () => {
	const suite = syncTriggerSuite({
		crm: 'dynamics',
		parameters: { objectType: 'lead', defaultCountry: 'GB' },
		person: (prefix, i) => ({
			firstname: `${prefix}${i}`,
			lastname: 'Test',
			mobilephone: `07700 900${String(100 + i)}`,
		}),
	});

	it('lead: option numbers come out with their labels; a number outside the option set keeps its value and warns', async () => {
		const poller = suite.runner({
			standardAttributes: ['leadSource', 'lifecycleStage'],
			attributeMapping: { mappings: [mapping('subject', 'topicNumber', 'number')] },
		});
		const [web, unknownSource] = suite.plant(
			'lead',
			2,
			'Dyn',
			(i) =>
				[
					{ leadsourcecode: 8, statuscode: 2, subject: '7' },
					{ leadsourcecode: 99, subject: 'Fair 2026' },
				][i],
		);
		const items = typed((await poller.poll()).items);
		expect(byId(items, web)?.attributes).toEqual({
			leadSource: { value: '8', label: 'Web' },
			lifecycleStage: { value: '2', label: 'Contacted' },
			topicNumber: 7,
		});
		expect(byId(items, unknownSource)?.attributes).toMatchObject({
			leadSource: { value: '99', label: null },
			topicNumber: null,
		});
		expect(byId(items, unknownSource)?.warnings).toEqual([
			`Record ${unknownSource}: CRM field "leadsourcecode" → attribute "leadSource": "99" is not one of the field's options, so it has no label`,
			`Record ${unknownSource}: CRM field "subject" → attribute "topicNumber": "Fair 2026" is not a number; the attribute is null`,
		]);
	});

	it('contact: a Dataverse date-only field as a date, a choice as enum; lifecycle stage has no contact field', async () => {
		const poller = suite.runner({
			objectType: 'contact',
			standardAttributes: ['leadSource', 'lifecycleStage'],
			attributeMapping: {
				mappings: [
					mapping('birthdate', 'birthday', 'date'),
					mapping('preferredcontactmethodcode', 'preferredChannel', 'enum'),
				],
			},
		});
		const [id] = suite.plant('contact', 1, 'DynC', () => ({
			leadsourcecode: 1,
			birthdate: '1990-04-02',
			preferredcontactmethodcode: 3,
		}));
		const [item] = typed((await poller.poll()).items);
		expect(item.crmId).toBe(id);
		expect(item.attributes).toEqual({
			leadSource: { value: '1', label: 'Default Value' },
			lifecycleStage: null,
			birthday: '1990-04-02',
			preferredChannel: { value: '3', label: 'Phone' },
		});
	});
});

describe('CRM Sync Trigger typed attributes — autoch.at CRM', () => {
	const suite = syncTriggerSuite({
		crm: 'autochat',
		parameters: { objectType: 'client', defaultCountry: 'DE' },
		sandbox: { rateLimits: { autochat: false } },
	});

	it('no lead source or lifecycle field: both null; a client field mapped as text', async () => {
		const poller = suite.runner({
			standardAttributes: ['leadSource', 'lifecycleStage'],
			attributeMapping: { mappings: [mapping('status', 'clientStatus', 'string')] },
		});
		const [client] = suite.sandbox.admin.putRecords('autochat', 'clients', [
			{ name: 'Kunde Eins', phone: '030 1234100', status: 'active' },
		]);
		const [item] = typed((await poller.poll()).items);
		expect(item.crmId).toBe(client.id);
		expect(item.attributes).toEqual({
			leadSource: null,
			lifecycleStage: null,
			clientStatus: 'active',
		});
	});
});
