/**
 * CRM Action Items → Tasks: one CRM task per detected action item, associated with the
 * routed records, owner resolved by email in one batched lookup, due date from the item or
 * N business days later in the chosen timezone; all tasks of the batch in one write.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { readTargetSettings } from '../shared/descriptions/targets';
import {
	planActionItemTasks,
	readOwnerSource,
	resolveTaskOwners,
	TASK_OPERATION,
} from '../shared/node/actionItemTasks';
import { writeActivities } from '../shared/node/activityWriter';
import { emitReports } from '../shared/node/emitReports';
import { routedConversations } from '../shared/node/linkedConversations';
import { Outcomes } from '../shared/node/outcomes';
import { connectProvider, selectedCrm } from '../shared/providers/connect';

export async function executeActionItemsToTasks(
	this: IExecuteFunctions,
): Promise<INodeExecutionData[][]> {
	const outcomes = new Outcomes(this, 1);
	return await outcomes.settle(async () => await createTasks(this, outcomes));
}

async function createTasks(ctx: IExecuteFunctions, outcomes: Outcomes): Promise<void> {
	const crm = selectedCrm(ctx);
	const ownerSource = readOwnerSource(ctx);
	const { provider } = await connectProvider(ctx, crm);
	const routed = routedConversations(
		ctx,
		crm,
		{ ...readTargetSettings(ctx), singleTarget: false },
		outcomes,
	);

	const callsBefore = provider.usage().calls;
	const owners = await resolveTaskOwners(provider, routed, ownerSource);
	const { planned, skipped } = planActionItemTasks(
		ctx,
		provider,
		routed,
		outcomes,
		{ ownerSource, owners },
		{ options: 'options' },
	);

	const results = await writeActivities(ctx, crm, provider, planned);
	emitReports(ctx, outcomes, {
		crm,
		field: 'tasks',
		operation: TASK_OPERATION,
		results,
		apiCalls: provider.usage().calls - callsBefore,
		skipped,
	});
}
