/**
 * Settings that hold for a whole run may be expressions (the templates derive some from a
 * Settings node), but never silently item 0's value for everyone: through the real engine, an
 * expression that is the same for every item works, one that differs stops the run and says
 * which setting and which item.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	GATE,
	QUALIFIED,
	gateHarness,
	gateWorkflow,
	messageCountRules,
	pricingConversation,
} from './support/gateSetup';
import { jsonOf } from './support/packHarness';

const conversation = pricingConversation;
const rules = messageCountRules;

describe('run-wide settings given by expression', () => {
	it('an expression with one value for every item is used for all of them', async () => {
		const result = await gateHarness().run(
			gateWorkflow(rules({ syncLogCrms: '={{ ["hubspot", "dynamics"] }}' }), [
				conversation('a'),
				conversation('b'),
			]),
		);
		expect(result.error(GATE)).toBeUndefined();
		const qualified = jsonOf(result, GATE, QUALIFIED);
		expect(
			qualified.map((item) => (item.syncLog as IDataObject[]).map((entry) => entry.crm)),
		).toEqual([
			['hubspot', 'dynamics'],
			['hubspot', 'dynamics'],
		]);
	});

	it('an expression that gives items different values stops the run, naming the setting and the first item that differs', async () => {
		const items = [
			conversation('a', { crms: ['hubspot'] }),
			conversation('b', { crms: ['hubspot'] }),
			conversation('c', { crms: ['salesforce'] }),
		];
		const result = await gateHarness().run(
			gateWorkflow(rules({ syncLogCrms: '={{ $json.crms }}' }), items),
		);
		expect(result.error(GATE)?.message).toBe(
			'"Sync Log CRMs" is one setting for the whole run, but its expression gives item 2 a different value than item 0',
		);
	});

	it('the same holds inside an options collection', async () => {
		const items = [conversation('a', { keep: true }), conversation('b', { keep: false })];
		const result = await gateHarness().run(
			gateWorkflow(rules({ options: { sticky: '={{ $json.keep }}' } }), items),
		);
		expect(result.error(GATE)?.message).toBe(
			'"Sticky Qualification" is one setting for the whole run, but its expression gives item 1 a different value than item 0',
		);
	});
});
