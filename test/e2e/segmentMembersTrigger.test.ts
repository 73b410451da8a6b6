/**
 * CRM Sync Trigger in "Members of a List/Segment" mode inside a real n8n, polling the HubSpot
 * sandbox every five seconds: a contact added to the list starts exactly one execution with
 * one `added` item, a contact removed from it exactly one with one `removed` item, and the
 * polls in between start nothing.
 */
import { waitFor } from '../../scripts/runtime/waitFor';
import { withCredentials, type WorkflowTemplate } from '../../scripts/runtime/workflows';
import type { SandboxHandle } from '../sandbox/server';
import { CRM_AUTH, startE2eStack, STACK_START_TIMEOUT_MS, type E2eStack } from './harness';

let stack: E2eStack;
let sandbox: SandboxHandle;

beforeAll(async () => {
	stack = await startE2eStack({ templatesDir: false });
	sandbox = stack.sandbox as unknown as SandboxHandle;
}, STACK_START_TIMEOUT_MS);

afterAll(async () => {
	await stack?.teardown();
});

interface Execution {
	id: string;
	status?: string;
}

interface MemberItem {
	crmId: string;
	change: string;
	segmentId: string;
	email: string | null;
}

async function triggerItems(executionId: string): Promise<MemberItem[]> {
	const execution = await stack.api.request<{
		data?: {
			resultData?: {
				runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: MemberItem }>> } }>>;
			};
		};
	}>('GET', `/executions/${executionId}?includeData=true`);
	const run = execution.data?.resultData?.runData?.['List members']?.[0];
	return (run?.data?.main?.[0] ?? []).map((item) => item.json);
}

test('HubSpot list: an added contact starts one execution with one added item, a removed one one removed item', async () => {
	const [kept, joined] = sandbox.admin
		.putRecords('hubspot', 'contacts', [
			{ firstname: 'Kept', lastname: 'Member', email: 'kept.member@lists.example' },
			{ firstname: 'Joined', lastname: 'Member', email: 'joined.member@lists.example' },
		])
		.map((record) => record.id);
	const [{ id: listId }] = sandbox.admin.putRecords('hubspot', 'lists', [
		{ name: 'E2E webinar attendees', objectTypeId: '0-1', processingType: 'MANUAL' },
	]);
	sandbox.admin.addMembers('hubspot', listId, [kept]);

	const auth = CRM_AUTH.hubspot;
	const template: WorkflowTemplate = {
		name: 'HubSpot list members (e2e)',
		nodes: [
			{
				name: 'List members',
				type: 'n8n-nodes-crm-sync.crmSyncTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					crm: 'hubspot',
					[auth.parameter]: auth.mode,
					objectType: 'contacts',
					records: 'segment',
					segmentId: listId,
					firstSegmentPoll: 'now',
					// n8n refuses poll intervals under a minute; fixed seconds of every minute poll every 5 s.
					pollTimes: {
						item: Array.from({ length: 12 }, (_, i) => ({
							mode: 'custom',
							cronExpression: `${i * 5} * * * * *`,
						})),
					},
				},
				credentials: { [auth.credential]: { name: auth.credential } },
			},
			{
				name: 'Done',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [300, 0],
				parameters: {},
			},
		],
		connections: { 'List members': { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
	} as unknown as WorkflowTemplate;
	const { template: filled, missing } = withCredentials(template, stack.credentials);
	expect(missing).toEqual([]);
	const saved = await stack.api.request<{ id: string }>('POST', '/workflows', {
		name: filled.name,
		nodes: filled.nodes,
		connections: filled.connections,
		settings: { executionOrder: 'v1' },
	});
	sandbox.admin.clearRequests();
	await stack.api.request('POST', `/workflows/${saved.id}/activate`);

	const membershipReads = () =>
		sandbox.admin.requests('hubspot').filter((r) => r.path.endsWith(`/lists/${listId}/memberships`))
			.length;
	const executions = async () =>
		(await stack.api.list<Execution>(`/executions?workflowId=${saved.id}`)).filter(
			(execution) => execution.status !== 'running' && execution.status !== 'new',
		);
	const pollsAfter = async (count: number, what: string) => {
		const start = membershipReads();
		await waitFor(async () => (membershipReads() >= start + count ? true : undefined), {
			timeoutMs: 90_000,
			intervalMs: 250,
			what,
		});
	};

	// The first poll takes the current members as the starting point and starts nothing.
	await pollsAfter(1, 'the first poll of the list');
	sandbox.admin.addMembers('hubspot', listId, [joined]);
	const [added] = await waitFor(
		async () => {
			const done = await executions();
			return done.length >= 1 ? done : undefined;
		},
		{ timeoutMs: 90_000, intervalMs: 500, what: 'the execution of the added member' },
	);
	expect(await triggerItems(added.id)).toEqual([
		expect.objectContaining({
			crmId: joined,
			change: 'added',
			segmentId: listId,
			email: 'joined.member@lists.example',
		}),
	]);
	await pollsAfter(3, 'three more polls');
	expect(await executions()).toHaveLength(1);

	sandbox.admin.removeMembers('hubspot', listId, [kept]);
	await waitFor(async () => ((await executions()).length >= 2 ? true : undefined), {
		timeoutMs: 90_000,
		intervalMs: 500,
		what: 'the execution of the removed member',
	});
	await pollsAfter(3, 'three more polls');
	await stack.api.request('POST', `/workflows/${saved.id}/deactivate`);
	const all = await executions();
	expect(all).toHaveLength(2);
	const removed = all.find((execution) => execution.id !== added.id)!;
	expect(await triggerItems(removed.id)).toEqual([
		expect.objectContaining({ crmId: kept, change: 'removed', segmentId: listId }),
	]);
});
