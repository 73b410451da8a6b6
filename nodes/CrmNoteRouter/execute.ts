/**
 * CRM Note Router: turns each linked conversation into one CRM entry (note, HubSpot
 * meeting or Salesforce event) routed to the matched records by the seed's rules, and
 * writes the whole batch through one provider call, exactly once per target.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { activityKey } from '../shared/logic/activityKeys';
import { composeNote, type ContentSource } from '../shared/logic/noteContent';
import { readTargetSettings } from '../shared/descriptions/targets';
import type { ActivityKind, CrmName } from '../shared/model';
import { routesToOneRecord, type PlannedActivity } from '../shared/node/activityWriter';
import { emitReports } from '../shared/node/emitReports';
import { routedConversations } from '../shared/node/linkedConversations';
import { writeActivitiesWithMeetingMode } from '../shared/node/meetingPlan';
import { Outcomes } from '../shared/node/outcomes';
import { connectProvider, selectedCrm } from '../shared/providers/connect';
import { destinationParameter } from './description';

interface RouterSettings {
	contentSource: ContentSource;
	kind: ActivityKind;
	subjectPrefix: string;
	skipEmpty: boolean;
}

function readSettings(ctx: IExecuteFunctions, crm: CrmName): RouterSettings {
	const parameter = destinationParameter(crm);
	const destination = parameter ? (ctx.getNodeParameter(parameter, 0) as string) : 'note';
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	return {
		contentSource: ctx.getNodeParameter('contentSource', 0) as ContentSource,
		kind: destination === 'note' ? 'note' : 'meeting',
		subjectPrefix: (options.subjectPrefix as string | undefined) ?? 'Call',
		skipEmpty: (options.skipEmptyContent as boolean | undefined) ?? true,
	};
}

export async function executeNoteRouter(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const outcomes = new Outcomes(this, 1);
	return await outcomes.settle(async () => await routeNotes(this, outcomes));
}

async function routeNotes(ctx: IExecuteFunctions, outcomes: Outcomes): Promise<void> {
	const crm = selectedCrm(ctx);
	const settings = readSettings(ctx, crm);
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const { provider } = await connectProvider(ctx, crm, {
		salesforceNoteStyle: options.salesforceNoteStyle === 'legacyNote' ? 'legacyNote' : 'contentNote',
	});
	const { meetingName, meetingDetails, noteBodyLimit } = provider.profile;
	const operation = settings.kind === 'note' ? 'add-note' : `add-${meetingName}`;

	const planned: PlannedActivity[] = [];
	const skippedItems = new Map<number, string>();
	// Salesforce Events take one WhoId/WhatId pair: one record, one-type routing.
	const singleTarget = routesToOneRecord(provider, settings.kind);
	const routed = routedConversations(ctx, crm, { ...readTargetSettings(ctx, singleTarget), singleTarget }, outcomes);
	for (const { itemIndex, conversation, targets, skipReason } of routed) {
		if (skipReason) {
			skippedItems.set(itemIndex, skipReason);
			continue;
		}
		const note = composeNote(conversation, settings.contentSource, { limit: noteBodyLimit, subjectPrefix: settings.subjectPrefix });
		if (note.empty && settings.skipEmpty) {
			skippedItems.set(itemIndex, `the ${settings.contentSource} content is empty`);
			continue;
		}
		const details = settings.kind === 'meeting' ? meetingDetails : undefined;
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
				activityType: details ? (ctx.getNodeParameter('meetingType', 0, '') as string) || undefined : undefined,
				outcome: details?.outcome ? 'completed' : undefined,
				targets,
			},
		});
	}

	const callsBefore = provider.usage().calls;
	const results = await writeActivitiesWithMeetingMode(ctx, crm, provider, planned, settings.kind === 'meeting');

	emitReports(ctx, outcomes, {
		crm,
		field: 'notes',
		operation,
		results,
		apiCalls: provider.usage().calls - callsBefore,
		skipped: skippedItems,
	});
}
