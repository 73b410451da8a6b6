/**
 * CRM Note Router: turns each linked conversation into one CRM entry (note, HubSpot
 * meeting or Salesforce event) routed to the matched records by the seed's rules, and
 * writes the whole batch through one provider call, exactly once per target.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { activityKey } from '../shared/logic/activityKeys';
import type { MeetingWriteMode } from '../shared/logic/meetingWriteMode';
import { composeNote, NOTE_BODY_LIMITS, type ContentSource } from '../shared/logic/noteContent';
import { routeTargets, type RoutingMode } from '../shared/logic/routing';
import type { ActivityKind, CrmName, ObjectKind } from '../shared/model';
import { writeActivities, type ActivityOutcome, type PlannedActivity } from '../shared/node/activityWriter';
import { parseConversation } from '../shared/node/conversations';
import { reportItem } from '../shared/node/itemReport';
import { readLinkedRecords } from '../shared/node/linkedRecords';
import { applyMeetingWriteMode } from '../shared/node/meetingPlan';
import { Outcomes } from '../shared/node/outcomes';
import { priorLogs, shareCalls, syncLog } from '../shared/node/syncLog';
import { connectProvider, selectedCrm } from '../shared/providers/connect';

interface RouterSettings {
	contentSource: ContentSource;
	kind: ActivityKind;
	singleTarget: boolean;
	targetKinds: ObjectKind[];
	routing: RoutingMode;
	priority: ObjectKind[];
	subjectPrefix: string;
	skipEmpty: boolean;
}

function readSettings(ctx: IExecuteFunctions, crm: CrmName): RouterSettings {
	const destination =
		crm === 'hubspot'
			? (ctx.getNodeParameter('hubspotDestination', 0) as string)
			: crm === 'salesforce'
				? (ctx.getNodeParameter('salesforceDestination', 0) as string)
				: 'note';
	const priority = ctx.getNodeParameter('priority.entries', 0, []) as Array<{ objectType: ObjectKind }>;
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const salesforceEvent = crm === 'salesforce' && destination === 'event';
	return {
		contentSource: ctx.getNodeParameter('contentSource', 0) as ContentSource,
		kind: destination === 'note' ? 'note' : 'meeting',
		singleTarget: salesforceEvent,
		targetKinds: ctx.getNodeParameter('targetObjectTypes', 0, []) as ObjectKind[],
		routing: salesforceEvent ? 'oneType' : (ctx.getNodeParameter('routing', 0, 'oneType') as RoutingMode),
		priority: priority.map((p) => p.objectType),
		subjectPrefix: (options.subjectPrefix as string | undefined) ?? 'Call',
		skipEmpty: (options.skipEmptyContent as boolean | undefined) ?? true,
	};
}

export async function executeNoteRouter(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const outcomes = new Outcomes(this, 1);
	const crm = selectedCrm(this);
	const settings = readSettings(this, crm);
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const { provider } = await connectProvider(this, crm, {
		salesforceNoteStyle: options.salesforceNoteStyle === 'legacyNote' ? 'legacyNote' : 'contentNote',
	});
	const operation = settings.kind === 'note' ? 'add-note' : crm === 'salesforce' ? 'add-event' : 'add-meeting';

	const planned: PlannedActivity[] = [];
	const skippedItems = new Map<number, string>();
	items.forEach((item, itemIndex) => {
		const parsed = parseConversation(node, item.json, itemIndex);
		if (!parsed.ok) return outcomes.failure(itemIndex, parsed.error, item.json);
		const linked = readLinkedRecords(node, item.json, crm, itemIndex);
		if (!linked.ok) return outcomes.failure(itemIndex, linked.error, item.json);
		const notLinked = settings.targetKinds.filter((kind) => linked.linked.linkedKinds && !linked.linked.linkedKinds.includes(kind));
		if (notLinked.length) {
			return outcomes.failure(
				itemIndex,
				new NodeOperationError(node, `Item ${itemIndex}: "Send To" includes ${notLinked.join(', ')}, which CRM Link did not match`, {
					itemIndex,
					description: 'An object type must be selected in CRM Link ("Object Types to Match") before it can receive notes.',
				}),
				item.json,
			);
		}
		const decision = routeTargets(linked.linked.matches, { ...settings, mode: settings.routing });
		if (decision.targets.length === 0) return skippedItems.set(itemIndex, decision.reason ?? 'no target');
		const conversation = parsed.conversation;
		const note = composeNote(conversation, settings.contentSource, { limit: NOTE_BODY_LIMITS[crm], subjectPrefix: settings.subjectPrefix });
		if (note.empty && settings.skipEmpty) return skippedItems.set(itemIndex, `the ${settings.contentSource} content is empty`);
		planned.push({
			itemIndex,
			operation,
			draft: {
				key: activityKey(conversation.id, settings.kind, `route-${settings.contentSource}`),
				kind: settings.kind,
				conversationId: conversation.id,
				subject: note.subject,
				body: note.body,
				startAt: conversation.startedAt,
				endAt: conversation.endedAt,
				direction: conversation.direction,
				activityType: crm === 'hubspot' && settings.kind === 'meeting' ? (this.getNodeParameter('meetingType', 0, '') as string) || undefined : undefined,
				outcome: crm === 'hubspot' && settings.kind === 'meeting' ? 'completed' : undefined,
				targets: decision.targets,
			},
		});
	});

	const callsBefore = provider.usage().calls;
	let toWrite = planned;
	const results: ActivityOutcome[] = [];
	if (crm === 'hubspot' && settings.kind === 'meeting') {
		const mode = this.getNodeParameter('meetingWriteMode', 0) as MeetingWriteMode;
		const tolerance = this.getNodeParameter('matchToleranceMinutes', 0, 15) as number;
		const plan = await applyMeetingWriteMode(provider, planned, mode, tolerance);
		toWrite = plan.planned;
		results.push(...plan.skipped);
	}
	results.push(...(await writeActivities(this, crm, provider, toWrite)));

	const byItem = new Map<number, ActivityOutcome[]>();
	for (const result of results) byItem.set(result.planned.itemIndex, [...(byItem.get(result.planned.itemIndex) ?? []), result]);
	const itemIndexes = [...byItem.keys()];
	const calls = shareCalls(provider.usage().calls - callsBefore, itemIndexes.length);
	itemIndexes.forEach((itemIndex, i) => {
		const json = items[itemIndex].json;
		const report = reportItem(node, crm, itemIndex, byItem.get(itemIndex) ?? [], calls[i]);
		const out = {
			...json,
			crm: { ...(json.crm as IDataObject), notes: report.activities } as IDataObject,
			syncLog: [...priorLogs(json), ...report.logs],
		};
		if (report.error) outcomes.failure(itemIndex, report.error, out);
		else outcomes.success(itemIndex, out);
	});
	for (const [itemIndex, reason] of skippedItems) {
		const json = items[itemIndex].json;
		outcomes.success(itemIndex, { ...json, syncLog: [...priorLogs(json), syncLog(crm, operation, 'skipped', { reason })] });
	}
	return outcomes.result();
}
