/**
 * The full-import scenario every CRM's Sync Trigger suite runs: "First Poll Starts:
 * Everything" over a CRM holding more records than one poll may emit. Every record comes out
 * exactly once over several polls, each poll's sync log says how far the import is against the
 * CRM's own count, the last one says it finished, a manual test shows where polls stand, and a
 * new Start-Over Key makes the next poll begin again.
 */
import type { IDataObject } from 'n8n-workflow';

import type { SandboxCrm } from './packHarness';
import { contacts, type SyncTriggerSuite } from './syncTriggerSetup';

export interface FullImportCase {
	suite: SyncTriggerSuite;
	crm: SandboxCrm;
	objectType: string;
	/** Max Records per Poll (Salesforce pages at least 200 records). */
	perPoll: number;
	pageSize: number;
}

const SO_FAR = /^full import: ([\d,]+) of about ([\d,]+) records so far$/;
const number = (text: string) => Number(text.replace(/,/g, ''));

export async function runFullImport({
	suite,
	crm,
	objectType,
	perPoll,
	pageSize,
}: FullImportCase): Promise<void> {
	const existing = suite.sandbox.store.list(crm, objectType).length;
	// Two and a half polls' worth in all, so the last poll is a partial one.
	const planted = Math.max(1, 2 * perPoll + Math.floor(perPoll / 2) - existing);
	suite.plant(objectType, planted, 'Import');
	const total = existing + planted;
	const parameters: IDataObject = {
		firstPoll: 'everything',
		options: { maxRecords: perPoll, pageSize },
	};
	const poller = suite.runner(parameters);

	const seen: string[] = [];
	const reasons: string[] = [];
	for (let poll = 0; poll < 10; poll++) {
		const result = await poller.poll();
		if (result.output === null) break;
		const items = contacts(result.items);
		seen.push(...items.map((item) => item.crmId));
		reasons.push(...new Set(items.map((item) => item.syncLog[0].reason ?? '')));
	}
	expect(seen).toHaveLength(total);
	expect(new Set(seen).size).toBe(total);
	expect(reasons).toHaveLength(3);
	reasons.slice(0, 2).forEach((reason, index) => {
		const progress = SO_FAR.exec(reason);
		expect({
			reason,
			emitted: progress && number(progress[1]),
			estimate: progress && number(progress[2]),
		}).toEqual({
			reason,
			emitted: perPoll * (index + 1),
			estimate: total,
		});
	});
	expect(reasons[2]).toBe(`full import finished: ${total.toLocaleString('en-US')} records`);

	// A manual test shows where the polls stand, and moves nothing.
	const manual = await poller.poll({ mode: 'manual' });
	expect(manual.items[0].json.pollState).toMatchObject({
		startsOver: false,
		fullImport: `full import finished: ${total.toLocaleString('en-US')} records`,
	});
	expect(
		Date.parse(String((manual.items[0].json.pollState as IDataObject).nextPollReadsFrom)),
	).toBeGreaterThan(0);
	expect((await poller.poll()).output).toBeNull();

	// A new Start-Over Key: the next poll begins again from the first record.
	const again = suite.runner({
		...parameters,
		options: { maxRecords: perPoll, pageSize, startOverKey: 'again' },
	});
	again.staticData = poller.staticData;
	const restarted = contacts((await again.poll()).items);
	expect(restarted).toHaveLength(perPoll);
	expect(restarted.map((item) => item.crmId)).toEqual(seen.slice(0, perPoll));
	expect(restarted[0].syncLog[0].reason).toBe(
		`full import: ${perPoll.toLocaleString('en-US')} of about ${total.toLocaleString('en-US')} records so far`,
	);
}
