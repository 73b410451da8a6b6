import type { INode } from 'n8n-workflow';

import { syncLogCrmsOf } from '../../nodes/CrmQualificationGate/syncLogCrms';

const node: INode = {
	id: 'gate',
	name: 'Gate',
	type: 'n8n-nodes-crm-sync.crmQualificationGate',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

test('a picked list or an expression result (list or comma text) gives the CRMs once each, in order', () => {
	expect(syncLogCrmsOf(node, ['hubspot', 'dynamics'])).toEqual(['hubspot', 'dynamics']);
	expect(syncLogCrmsOf(node, ' Salesforce , autochat,,salesforce')).toEqual([
		'salesforce',
		'autochat',
	]);
	expect(syncLogCrmsOf(node, [])).toEqual([]);
});

test('anything else is a clear error naming the setting', () => {
	expect(() => syncLogCrmsOf(node, "={{ ['hubspot'] }}")).toThrow(
		'Sync Log CRMs: "={{ [\'hubspot\'] }}" is not a CRM this node knows',
	);
	expect(() => syncLogCrmsOf(node, ['hubspot', 'pipedrive'])).toThrow('"pipedrive" is not a CRM');
	expect(() => syncLogCrmsOf(node, 42)).toThrow('Sync Log CRMs must be a list of CRM names');
	expect(() => syncLogCrmsOf(node, [null])).toThrow('"null" is not a CRM');
});
