/**
 * CRM Contact Field Merge on Salesforce (jsforce over the shared transport) through n8n's
 * real engine against the local sandbox: SOSL phone match, Contact/Lead updates in one
 * sObject Collections call, picklist checks from the describe, Lead as the default object for
 * new records, and a partial failure mapped back to its item.
 */
import type { IDataObject } from 'n8n-workflow';

import { SALESFORCE_SEED_IDS } from '../sandbox/vendors/salesforce';
import {
	MERGE_NODE,
	change,
	lastLog,
	mapper,
	mergeParams,
	mergeSuite,
	mergeWorkflow,
} from './support/mergeSetup';
import { jsonOf } from './support/packHarness';

const CAROL = SALESFORCE_SEED_IDS.contacts.carol;
const GRACE = SALESFORCE_SEED_IDS.leads.grace;

const params = (extra: IDataObject): IDataObject => mergeParams('salesforce', extra);

describe('CRM Contact Field Merge — Salesforce through the engine', () => {
	const suite = mergeSuite();
	const { setup } = suite;

	const record = (type: string, id: string) =>
		suite.sandbox.store.get('salesforce', type, id)!.fields;
	const collectionWrites = () =>
		suite.sandbox.admin
			.requests()
			.filter((r) => r.path.includes('/composite/sobjects') && r.method !== 'GET');

	it('matches a contact by phone and applies the modes: picklist by label, dated merge line, fill if empty, rejected picklist value', async () => {
		suite.sandbox.store.update('salesforce', 'Contact', CAROL, {
			Description: 'Prefers email',
			LeadSource: 'Web',
		});
		const { harness, credentials } = setup();
		const run = await harness.run(
			mergeWorkflow(
				params({
					matchBy: 'phone',
					matchValue: '={{ $json.phone }}',
					defaultCountry: 'GB',
					fields: mapper({
						Description: 'Asked for a quote',
						LeadSource: 'partner referral',
						Title: 'CIO',
						MobilePhone: '+44 7700 900555',
						Department: 'IT',
					}),
					updateModes: {
						modes: [
							{ field: 'Description', mode: 'merge' },
							{ field: 'Title', mode: 'fillIfEmpty' },
							{ field: 'MobilePhone', mode: 'fillIfEmpty' },
						],
					},
				}),
				[{ phone: '020 7946 0958' }],
				credentials,
			),
		);
		expect(run.error(MERGE_NODE)).toBeUndefined();
		const [out] = jsonOf(run, MERGE_NODE, 0);
		expect((out.crm as { record: IDataObject }).record).toMatchObject({
			id: CAROL,
			objectType: 'Contact',
			matched: true,
		});
		expect(String(change(out, 'Description')!.after)).toMatch(
			/^Prefers email\n\d{4}-\d{2}-\d{2}: Asked for a quote$/,
		);
		expect(change(out, 'LeadSource')).toMatchObject({
			before: 'Web',
			after: 'Partner Referral',
			applied: true,
		});
		expect(change(out, 'Title')).toMatchObject({ before: 'Head of IT', applied: false });
		expect(change(out, 'MobilePhone')).toMatchObject({
			before: null,
			after: '+44 7700 900555',
			applied: true,
		});
		expect(change(out, 'Department')).toMatchObject({
			applied: false,
			reason: 'unknown field "Department" on Contact',
		});
		expect(lastLog(out)).toMatchObject({
			operation: 'update-contact',
			status: 'success',
			target: { type: 'contact', id: CAROL },
		});
		expect(collectionWrites()).toHaveLength(1);
		expect(record('Contact', CAROL)).toMatchObject({
			LeadSource: 'Partner Referral',
			Title: 'Head of IT',
			MobilePhone: '+44 7700 900555',
			Description: change(out, 'Description')!.after,
		});

		suite.sandbox.admin.clearRequests();
		const rejected = await harness.run(
			mergeWorkflow(
				params({ matchBy: 'id', matchValue: CAROL, fields: mapper({ LeadSource: 'Trade Show' }) }),
				[{}],
				credentials,
			),
		);
		const [again] = jsonOf(rejected, MERGE_NODE, 0);
		expect(change(again, 'LeadSource')!.reason).toMatch(
			/"Trade Show" is not in the picklist of "LeadSource"/,
		);
		expect(collectionWrites()).toHaveLength(0);
	});

	it('updates leads, and creates missing records as Leads (the default object) in one collections call; a rejected record fails alone', async () => {
		const { harness, credentials } = setup();
		const run = await harness.run(
			mergeWorkflow(
				params({
					objectKind: 'lead',
					matchBy: 'email',
					matchValue: '={{ $json.email }}',
					createIfMissing: true,
					createAs: 'lead',
					fields: mapper({
						LastName: '={{ $json.last }}',
						Company: '={{ $json.company }}',
						Status: '={{ $json.status }}',
					}),
					updateModes: {
						modes: [
							{ field: 'LastName', mode: 'fillIfEmpty' },
							{ field: 'Company', mode: 'fillIfEmpty' },
						],
					},
				}),
				[
					{
						email: 'grace.kim@umbrella.example',
						last: 'Kim',
						company: 'Umbrella Labs',
						status: 'working - contacted',
					},
					{
						email: 'new.person@startup.example',
						last: 'Person',
						company: 'Startup Inc',
						status: 'Open - Not Contacted',
					},
					// A Lead needs a Company: Salesforce rejects this create, the others still succeed.
					{ email: 'no.company@startup.example', last: 'Nocompany', company: '', status: '' },
				],
				credentials,
				{ onError: 'continueErrorOutput' },
			),
		);
		const [ok, , errors] = run.output(MERGE_NODE);
		expect(ok.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		const [updated, created] = ok.map((i) => i.json);
		expect(lastLog(updated)).toMatchObject({
			operation: 'update-lead',
			status: 'success',
			target: { id: GRACE },
		});
		expect(change(updated, 'Status')).toMatchObject({
			after: 'Working - Contacted',
			applied: true,
		});
		expect(change(updated, 'LastName')).toMatchObject({ applied: false });
		expect(lastLog(created)).toMatchObject({ operation: 'create-lead', status: 'success' });
		const newId = (created.crm as { record: { id: string } }).record.id;
		expect(record('Lead', newId)).toMatchObject({
			LastName: 'Person',
			Company: 'Startup Inc',
			Email: 'new.person@startup.example',
		});
		expect(errors).toHaveLength(1);
		expect(errors[0].pairedItem).toEqual({ item: 2 });
		expect(String(errors[0].json.error)).toMatch(
			/^Item 2: Salesforce rejected the lead create: .*Company/,
		);
		expect(record('Lead', GRACE).Status).toBe('Working - Contacted');
		// Update and creates: one sObject Collections request each (PATCH and POST), not one per item.
		expect(
			collectionWrites()
				.map((r) => r.method)
				.sort(),
		).toEqual(['PATCH', 'POST']);
	});

	it('dry run on a contact key returns the diff without any write', async () => {
		const { harness, credentials } = setup();
		const run = await harness.run(
			mergeWorkflow(
				params({
					matchBy: 'email',
					matchValue: '={{ $json.email }}',
					dryRun: true,
					fields: mapper({ Title: 'CEO', LeadSource: 'Other' }),
				}),
				[{ email: 'carol.hughes@globex.example' }],
				credentials,
			),
		);
		const [out] = jsonOf(run, MERGE_NODE, 0);
		expect(change(out, 'Title')).toMatchObject({
			before: 'Head of IT',
			after: 'CEO',
			applied: true,
		});
		expect(lastLog(out)).toMatchObject({
			status: 'skipped',
			reason: 'dry run: 2 field(s) would change',
		});
		expect(collectionWrites()).toHaveLength(0);
		expect(record('Contact', CAROL).Title).toBe('Head of IT');
	});

	it('looks for a Contact and, when none matches, creates a Lead with the mapped fields and the email key', async () => {
		const { harness, credentials } = setup();
		const leadsBefore = suite.sandbox.store.list('salesforce', 'Lead').length;
		const run = await harness.run(
			mergeWorkflow(
				params({
					matchBy: 'email',
					matchValue: '={{ $json.email }}',
					createIfMissing: true,
					createAs: 'lead',
					fields: mapper({ LastName: 'Walker', Company: 'Walker & Co', Title: 'Owner' }),
				}),
				[{ email: 'Sam.Walker@walker.example' }],
				credentials,
			),
		);
		const [out] = jsonOf(run, MERGE_NODE, 0);
		expect(lastLog(out)).toMatchObject({ operation: 'create-lead', status: 'success' });
		expect((out.crm as { record: IDataObject }).record).toMatchObject({
			objectType: 'Lead',
			kind: 'lead',
			created: true,
			matched: false,
		});
		const leads = suite.sandbox.store.list('salesforce', 'Lead');
		expect(leads).toHaveLength(leadsBefore + 1);
		expect(leads.find((l) => l.fields.LastName === 'Walker')!.fields).toMatchObject({
			Company: 'Walker & Co',
			Title: 'Owner',
			Email: 'sam.walker@walker.example',
		});
		expect(
			suite.sandbox.store.list('salesforce', 'Contact').some((c) => c.fields.LastName === 'Walker'),
		).toBe(false);
	});
});
