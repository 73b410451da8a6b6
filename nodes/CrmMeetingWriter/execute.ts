/**
 * CRM Meeting / Event Writer: a meeting (HubSpot meeting, Salesforce Event, Dynamics
 * appointment) with the seed's write modes, a call log with its outcome (HubSpot call,
 * Salesforce call Task, Dynamics phone call) or a chat log (HubSpot communication,
 * Salesforce completed Task, Dynamics task) — one per conversation, batched, idempotent;
 * plus the metadata-cache reset.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { readTargetSettings } from '../shared/descriptions/targets';
import { activityKey } from '../shared/logic/activityKeys';
import { callParties, callDurationSeconds } from './logic/callDetails';
import { composeNote, type ContentSource } from '../shared/logic/noteContent';
import type { ActivityDraft, ChatChannel, CrmName } from '../shared/model';
import { CHAT_CHANNEL_LABELS } from '../shared/logic/chatChannels';
import { MALFORMED_INPUT_STATUS, markFailure } from '../shared/node/failureKind';
import { profileOf } from '../shared/providers/profiles';
import { parseChatChannel } from './logic/chatChannel';
import { checkCallExtras, loadCallLists, readCallExtras, type RawCallExtras } from './callExtras';
import { routesToOneRecord, type PlannedActivity } from '../shared/node/activityWriter';
import { emitReports } from '../shared/node/emitReports';
import { routedConversations } from '../shared/node/linkedConversations';
import { writeActivitiesWithMeetingMode } from '../shared/node/meetingPlan';
import { Outcomes } from '../shared/node/outcomes';
import { syncLog } from '../shared/node/syncLog';
import { connectProvider, selectedCrm } from '../shared/providers/connect';

/** The item's chat channel; an unknown one fails the item, naming the field. */
function readChannel(ctx: IExecuteFunctions, itemIndex: number): ChatChannel {
	const raw = String(ctx.getNodeParameter('chatChannel', itemIndex, 'WHATS_APP') ?? '');
	const parsed = parseChatChannel(raw);
	if (parsed.ok) return parsed.value;
	const error = new NodeOperationError(
		ctx.getNode(),
		`Item ${itemIndex}: field "Channel": ${parsed.message}`,
		{ itemIndex },
	);
	throw markFailure(error, {
		failureKind: 'invalid-input',
		field: 'Channel',
		httpStatus: MALFORMED_INPUT_STATUS,
	});
}

export async function executeMeetingWriter(
	this: IExecuteFunctions,
): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as
		'writeMeeting' | 'logCall' | 'logChat' | 'clearMetadataCache';
	const crm = selectedCrm(this);

	if (operation === 'clearMetadataCache') {
		const { provider } = await connectProvider(this, crm);
		provider.clearMetadataCache();
		const items = this.getInputData();
		return [
			(items.length ? items : [{ json: {} }]).map((item, itemIndex) => ({
				json: {
					...item.json,
					metadataCacheCleared: true,
					syncLog: [syncLog(crm, 'clear-metadata-cache', 'success')],
				},
				pairedItem: { item: itemIndex },
			})),
		];
	}

	const outcomes = new Outcomes(this, 1);
	return await outcomes.settle(
		async () => await writeMeetings(this, outcomes, crm, KIND_OF_OPERATION[operation]),
	);
}

const KIND_OF_OPERATION = { writeMeeting: 'meeting', logCall: 'call', logChat: 'chat' } as const;

type WrittenKind = (typeof KIND_OF_OPERATION)[keyof typeof KIND_OF_OPERATION];

const SYNC_OPERATION = { call: 'log-call', chat: 'log-chat' } as const;
const REPORT_FIELD = { meeting: 'meetings', call: 'calls', chat: 'chats' } as const;

async function writeMeetings(
	ctx: IExecuteFunctions,
	outcomes: Outcomes,
	crm: CrmName,
	kind: WrittenKind,
): Promise<void> {
	const profile = profileOf(crm);
	if (!profile.activityKinds.includes(kind))
		throw new NodeOperationError(
			ctx.getNode(),
			`${profile.displayName} has no place for a ${kind} log: choose another operation or CRM`,
		);
	const { provider } = await connectProvider(ctx, crm);
	const { meetingName, meetingDetails, noteBodyLimit } = provider.profile;
	const syncOperation = kind === 'meeting' ? `add-${meetingName}` : SYNC_OPERATION[kind];
	const details = kind === 'meeting' ? meetingDetails : undefined;
	const single = routesToOneRecord(provider, kind);
	const routed = routedConversations(
		ctx,
		crm,
		{ ...readTargetSettings(ctx, single), singleTarget: single },
		outcomes,
	);

	const planned: PlannedActivity[] = [];
	const skipped = new Map<number, string>();
	const reads: Array<{
		itemIndex: number;
		json: IDataObject;
		draft: ActivityDraft;
		call?: RawCallExtras;
	}> = [];
	for (const { itemIndex, json, conversation, targets, skipReason } of routed) {
		if (skipReason) {
			skipped.set(itemIndex, skipReason);
			continue;
		}
		// Content, title and meeting type are read per item: an expression may differ per conversation.
		const read = outcomes.forItem(itemIndex, json, () => ({
			contentSource: ctx.getNodeParameter('contentSource', itemIndex) as ContentSource,
			title: (ctx.getNodeParameter('title', itemIndex, '') as string).trim(),
			activityType: details
				? (ctx.getNodeParameter('meetingType', itemIndex, '') as string) || undefined
				: undefined,
			outcome: details?.outcome
				? (ctx.getNodeParameter('meetingOutcome', itemIndex, 'completed') as string)
				: undefined,
			call: kind === 'call' ? readCallExtras(ctx, itemIndex, conversation) : undefined,
			channel: kind === 'chat' ? readChannel(ctx, itemIndex) : undefined,
		}));
		if (!read) continue;
		const { contentSource, title, activityType, outcome, call, channel } = read.value;
		const note = composeNote(conversation, contentSource, {
			limit: noteBodyLimit,
			subjectPrefix: channel ? `${CHAT_CHANNEL_LABELS[channel]} chat` : undefined,
		});
		const parties = callParties(conversation);
		reads.push({
			itemIndex,
			json,
			call,
			draft: {
				key: activityKey(conversation.id, kind, kind === 'meeting' ? 'meeting' : 'log'),
				kind,
				conversationId: conversation.id,
				subject: title || note.subject,
				body: note.body,
				startAt: conversation.startedAt,
				endAt: conversation.endedAt,
				durationSeconds: callDurationSeconds(conversation),
				direction: conversation.direction,
				fromNumber: kind === 'call' ? parties.from : undefined,
				toNumber: kind === 'call' ? parties.to : undefined,
				status: kind === 'call' ? 'completed' : undefined,
				activityType,
				outcome,
				channel,
				targets,
			},
		});
	}

	// Call outcomes and fields are checked against the CRM's lists, read once for the batch.
	const lists =
		kind === 'call'
			? await loadCallLists(
					provider,
					reads.flatMap((r) => r.call ?? []),
				)
			: undefined;
	for (const { itemIndex, json, draft, call } of reads) {
		const extras =
			call && lists
				? outcomes.forItem(itemIndex, json, () =>
						checkCallExtras(ctx, itemIndex, provider, call, lists),
					)
				: { value: {} };
		if (!extras) continue;
		planned.push({ itemIndex, operation: syncOperation, draft: { ...draft, ...extras.value } });
	}

	const callsBefore = provider.usage().calls;
	const results = await writeActivitiesWithMeetingMode(
		ctx,
		crm,
		provider,
		planned,
		kind === 'meeting',
	);
	emitReports(ctx, outcomes, {
		crm,
		field: REPORT_FIELD[kind],
		operation: syncOperation,
		results,
		apiCalls: provider.usage().calls - callsBefore,
		skipped,
	});
}
