/**
 * The list/segment scenarios every CRM's Sync Trigger runs in "Members of a List/Segment"
 * mode, through n8n-core's real poll machinery against the sandbox: an added member arrives
 * once as added over several polls, a removed one once as removed, a membership read over
 * several pages (and over several polls when capped) emits every change once, a poll that
 * fails midway loses nothing, and an unknown list fails with an error naming it.
 */
import type { IDataObject } from 'n8n-workflow';

import type { SandboxCrm } from './packHarness';
import type { SyncTriggerSuite } from './syncTriggerSetup';

export interface SegmentCase {
	crm: SandboxCrm;
	suite: () => SyncTriggerSuite;
	/** The watched person object (the trigger's Object parameter). */
	objectType: string;
	/** Plants an empty list/segment in the sandbox and returns its id. */
	createSegment: (name: string) => string;
	/** An id of the CRM's shape that names no list. */
	unknownSegmentId: string;
	/** Where the membership pages are read (a path fragment), to count the reads. */
	membershipPath: string;
	/** Where member records are read in batch (a path pattern), to fail that read. */
	recordReadPath: string;
	/** Max page size the provider asks for (Salesforce never pages below 200). */
	smallPage: number;
}

interface MemberItem {
	crmId: string;
	objectType: string;
	change: 'added' | 'removed';
	segmentId: string;
	firstName?: string | null;
	email?: string | null;
	fields?: Record<string, unknown>;
	syncLog: Array<{ operation: string; target?: { type: string; id: string } }>;
}

const members = (items: Array<{ json: IDataObject }>) =>
	items.map((item) => item.json as unknown as MemberItem);
const changes = (items: Array<{ json: IDataObject }>) =>
	members(items)
		.map((m) => `${m.change} ${m.crmId}`)
		.sort();

export function segmentScenarios(config: SegmentCase): void {
	const parameters = (segmentId: string, extra: IDataObject = {}): IDataObject => ({
		records: 'segment',
		segmentId,
		...extra,
	});

	it('a contact added to the list arrives once as added across three polls; removed, once as removed', async () => {
		const suite = config.suite();
		const admin = suite.sandbox.admin;
		const [kept, joined] = suite.plant(config.objectType, 2, 'Member');
		const segmentId = config.createSegment('Webinar attendees');
		admin.addMembers(config.crm, segmentId, [kept]);
		const poller = suite.runner(parameters(segmentId));

		// "From now": the members found first are the starting point.
		expect((await poller.poll()).output).toBeNull();
		admin.addMembers(config.crm, segmentId, [joined]);
		const first = await poller.poll();
		expect(members(first.items)).toHaveLength(1);
		expect(members(first.items)[0]).toMatchObject({
			crmId: joined,
			objectType: config.objectType,
			change: 'added',
			segmentId,
			firstName: 'Member1',
			email: 'member1@example.com',
		});
		expect(members(first.items)[0].syncLog[0]).toMatchObject({
			operation: 'poll',
			target: { type: config.objectType, id: joined },
		});
		expect((await poller.poll()).output).toBeNull();
		expect((await poller.poll()).output).toBeNull();

		admin.removeMembers(config.crm, segmentId, [kept]);
		const removed = await poller.poll();
		expect(members(removed.items)).toEqual([
			expect.objectContaining({
				crmId: kept,
				objectType: config.objectType,
				change: 'removed',
				segmentId,
			}),
		]);
		expect((await poller.poll()).output).toBeNull();
		expect((await poller.poll()).output).toBeNull();
	});

	it('"Everything" over several pages and polls: every member once, then exactly the later additions and removals', async () => {
		const suite = config.suite();
		const admin = suite.sandbox.admin;
		const planted = suite.plant(config.objectType, 2 * config.smallPage + 3, 'Paged');
		const segmentId = config.createSegment('Big list');
		admin.addMembers(config.crm, segmentId, planted.slice(0, -2));
		const poller = suite.runner(
			parameters(segmentId, {
				firstSegmentPoll: 'everything',
				options: { pageSize: config.smallPage, maxRecords: config.smallPage },
			}),
		);
		const emitted: string[] = [];
		let polls = 0;
		// Members change while the capped scan is still going: each change still comes out once.
		// A removal shows in the scan after the one that was running: poll until two in a row are empty.
		let empty = 0;
		let leaver = '';
		for (; polls < 12 && empty < 2; polls++) {
			const result = await poller.poll();
			emitted.push(...changes(result.items));
			if (polls === 0) {
				// One that already came out leaves (members are read in the CRM's key order, not planting order).
				leaver = members(result.items)[0].crmId;
				admin.addMembers(config.crm, segmentId, planted.slice(-2));
				admin.removeMembers(config.crm, segmentId, [leaver]);
			}
			empty = result.output === null ? empty + 1 : 0;
		}
		expect(polls).toBeGreaterThan(2);
		const expected = [...planted.map((id) => `added ${id}`), `removed ${leaver}`].sort();
		expect(emitted.sort()).toEqual(expected);
		expect((await poller.poll()).output).toBeNull();
		const reads = admin.requests(config.crm).filter((r) => r.path.includes(config.membershipPath));
		expect(reads.length).toBeGreaterThanOrEqual(3);
	});

	it('a poll that fails after its first membership page loses nothing and repeats nothing', async () => {
		const suite = config.suite();
		const admin = suite.sandbox.admin;
		const planted = suite.plant(config.objectType, config.smallPage + 2, 'Fault');
		const segmentId = config.createSegment('Flaky list');
		const poller = suite.runner(parameters(segmentId, { options: { pageSize: config.smallPage } }));
		expect((await poller.poll()).output).toBeNull();
		admin.addMembers(config.crm, segmentId, planted);
		const before = JSON.stringify(poller.nodeState());
		// The first page is read, then reading its members' records keeps failing.
		admin.addFault({
			vendor: config.crm,
			pathPattern: config.recordReadPath,
			kind: 'status',
			status: 503,
			count: 10,
		});
		await expect(poller.poll()).rejects.toThrow();
		admin.clearFaults();
		expect(JSON.stringify(poller.nodeState())).toBe(before);
		const result = await poller.poll();
		expect(changes(result.items)).toEqual(planted.map((id) => `added ${id}`).sort());
		expect((await poller.poll()).output).toBeNull();
	});

	it('an unknown or deleted list fails the poll with an error naming the list, and stores nothing', async () => {
		const suite = config.suite();
		const poller = suite.runner(parameters(config.unknownSegmentId));
		await expect(poller.poll()).rejects.toThrow(config.unknownSegmentId);
		expect(poller.nodeState()).toEqual({});
	});

	it('offers the CRM’s lists of the object in the drop-down', async () => {
		const suite = config.suite();
		const segmentId = config.createSegment('Drop-down list');
		const options = await suite.runner(parameters(segmentId)).loadOptions('getSegments');
		expect(options).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ name: 'Drop-down list', value: segmentId }),
			]),
		);
	});
}
