/**
 * Applies a meeting write mode to planned meetings: looks the whole batch up in the CRM at
 * once (same key or conversation, else same start time ± tolerance on the same contact)
 * when the mode needs it, then turns each into a create, an update of the found meeting,
 * or a skip.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import {
	decideMeetingWrite,
	modeWithoutUpdates,
	needsExistingLookup,
	type MeetingWriteMode,
} from '../logic/meetingWriteMode';
import type { CrmName } from '../model';
import type { CrmProvider } from '../providers/CrmProvider';
import { profileOf } from '../providers/profiles';
import { writeActivities, type ActivityOutcome, type PlannedActivity } from './activityWriter';
import { batchParameter } from './batchParameter';

export interface MeetingPlan {
	planned: PlannedActivity[];
	skipped: ActivityOutcome[];
}

export async function applyMeetingWriteMode(
	provider: CrmProvider,
	planned: PlannedActivity[],
	mode: MeetingWriteMode,
	toleranceMinutes: number,
): Promise<MeetingPlan> {
	if (!needsExistingLookup(mode)) return { planned, skipped: [] };
	const plan: MeetingPlan = { planned: [], skipped: [] };
	// One lookup for the whole batch; the provider hands each existing meeting to one item.
	const existing = await provider.findActivities(
		planned.map((p) => ({
			kind: p.draft.kind,
			key: p.draft.key,
			conversationId: p.draft.conversationId,
			startAt: p.draft.startAt,
			toleranceMinutes,
			contactId: p.draft.targets.find((t) => t.kind === 'contact' || t.kind === 'lead')?.id,
		})),
	);
	planned.forEach((p, index) => {
		const decision = decideMeetingWrite(mode, existing[index]?.id);
		if (decision.action === 'skip')
			plan.skipped.push({ status: 'skipped', reason: decision.reason, planned: p, draft: p.draft });
		else if (decision.action === 'update') plan.planned.push({ ...p, updateId: decision.id });
		else plan.planned.push(p);
	});
	return plan;
}

/**
 * Writes planned activities; meetings first go through the node's "When to Write Meetings"
 * mode (parameters `meetingWriteMode`, `matchToleranceMinutes`). Skips come back as outcomes.
 * `alongside` (e.g. the Note Router's tasks) skips the meeting mode and goes out in the same
 * write call.
 */
export async function writeActivitiesWithMeetingMode(
	ctx: IExecuteFunctions,
	crm: CrmName,
	provider: CrmProvider,
	planned: PlannedActivity[],
	meetings: boolean,
	alongside: PlannedActivity[] = [],
): Promise<ActivityOutcome[]> {
	if (!meetings) return await writeActivities(ctx, crm, provider, [...planned, ...alongside]);
	const chosen = ctx.getNodeParameter('meetingWriteMode', 0) as MeetingWriteMode;
	const mode = profileOf(crm).activityUpdates ? chosen : modeWithoutUpdates(chosen);
	if (mode === 'none') {
		const reason = `${crm} cannot update a meeting, so "Update only" writes nothing`;
		return [
			...planned.map((p): ActivityOutcome => ({
				status: 'skipped',
				reason,
				planned: p,
				draft: p.draft,
			})),
			...(await writeActivities(ctx, crm, provider, alongside)),
		];
	}
	const tolerance = batchParameter(
		ctx,
		'matchToleranceMinutes',
		'Start Time Tolerance (Minutes)',
		15,
	);
	const plan = await applyMeetingWriteMode(provider, planned, mode, tolerance);
	return [
		...plan.skipped,
		...(await writeActivities(ctx, crm, provider, [...plan.planned, ...alongside])),
	];
}
