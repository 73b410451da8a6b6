/**
 * CRM Qualification Gate: each item's conversation gets a verdict (rules, or the connected
 * chat model's review), then the client's effective status — sticky when an earlier
 * conversation qualified — routes it to qualified / unqualified / pending.
 *
 * Where the prior status comes from (either makes a client sticky):
 * 1. the item's `priorStatus` (the platform's status of the client's other conversations);
 * 2. n8n's processed-items store (scope workflow), written by this node whenever a client
 *    qualifies ("Remember Qualified Clients");
 * plus any other item of the same client in the same batch that qualifies.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import {
	criterionLabel,
	qualify,
	type CriterionCheck,
	type QualificationStatus,
} from './logic/qualification';
import type { QualificationReview } from './logic/qualificationReview';
import {
	clientStates,
	effectiveStatus,
	qualifiedElsewhere,
	type JudgedConversation,
} from './logic/stickyQualification';
import type { SyncLog } from '../shared/model';
import { runAsyncItemStep } from '../shared/node/outcomes';
import { priorLogs, syncLog } from '../shared/node/syncLog';
import { NO_MODEL_REASON, reviewWithModel } from './aiReview';
import { connectedChatModel, type ChatModelLike } from '../shared/ai/chatModel';
import { updateClientMemory, type ClientMemory } from './clientMemory';
import { criteriaFor } from './criteria';
import { GateOutputs } from './gateOutputs';
import { syncLogCrmsOf } from './syncLogCrms';
import { evidenceOf, parseGateInput, transcriptOf, type GateInput } from './input';
import { batchParameter } from '../shared/node/batchParameter';

type Mode = 'rules' | 'aiReview';

interface Verdict {
	itemIndex: number;
	json: IDataObject;
	input: GateInput;
	clientId: string;
	status: QualificationStatus;
	provisional: boolean;
	decidedBy: { kind: string; label: string; priority?: number } | null;
	reason: string;
	checks: CriterionCheck[];
	review?: QualificationReview;
	/** Why the AI review did not run (no chat model connected): the status is kept as it was. */
	reviewSkipped?: string;
}

const LOG_STATUS: Record<QualificationStatus, SyncLog['status']> = {
	qualified: 'success',
	unqualified: 'skipped',
	pending: 'pending',
};

export async function executeQualificationGate(
	this: IExecuteFunctions,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const outputs = new GateOutputs(this);
	const mode = this.getNodeParameter('mode', 0, 'rules') as Mode;
	const sticky = batchParameter(this, 'options.sticky', 'Sticky Qualification', true);
	const remember = batchParameter(
		this,
		'options.rememberClients',
		'Remember Qualified Clients',
		true,
	);
	const crms = syncLogCrmsOf(
		node,
		batchParameter<unknown>(this, 'syncLogCrms', 'Sync Log CRMs', ['hubspot']),
	);
	const model = mode === 'aiReview' ? await connectedChatModel(this) : undefined;

	const verdicts: Verdict[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const json = items[itemIndex].json;
		// Criteria and review instructions are per-item expressions: one that fails fails its item only.
		const judged = await runAsyncItemStep(
			node,
			itemIndex,
			async () => await judge(this, mode, model, itemIndex, json),
		);
		if (!judged.ok) outputs.failure(itemIndex, judged.error, json);
		else if (judged.value instanceof NodeOperationError)
			outputs.failure(itemIndex, judged.value, json);
		else verdicts.push(judged.value);
	}

	const clients = clientStates(verdicts.map(judgedConversation));
	const memory: ClientMemory = remember
		? await updateClientMemory(this, clients)
		: { known: new Set(), firstQualified: new Set() };
	const firstSeen = new Set<string>();

	for (const verdict of verdicts) {
		const { input, clientId } = verdict;
		const before = qualifiedElsewhere(
			judgedConversation(verdict),
			clients,
			memory.known.has(clientId),
		);
		const effective = sticky
			? effectiveStatus(verdict.status, before)
			: { status: verdict.status, sticky: false };
		let firstQualified = false;
		if (verdict.status === 'qualified') {
			firstQualified =
				input.qualification?.firstQualified === true ||
				(memory.firstQualified.has(clientId) && !firstSeen.has(clientId));
			firstSeen.add(clientId);
		}
		const reason = effective.sticky
			? `${verdict.reason}; the client stays qualified from an earlier qualified conversation`
			: verdict.reason;
		const qualification: IDataObject = {
			status: effective.status,
			conversationStatus: verdict.status,
			provisional: verdict.provisional,
			sticky: effective.sticky,
			firstQualified,
			mode,
			decidedBy: verdict.decidedBy,
			reason,
			checks: verdict.checks.map((check) => ({ ...check })),
		};
		if (verdict.review) {
			qualification.review = { ...verdict.review };
			qualification.changed = verdict.review.verdict !== 'confirmed';
		}
		if (verdict.reviewSkipped) {
			qualification.review = { skipped: true, reason: verdict.reviewSkipped };
			qualification.changed = false;
		}
		const operation = mode === 'rules' ? 'qualify' : 'ai-review';
		const logStatus = verdict.reviewSkipped ? 'skipped' : LOG_STATUS[effective.status];
		const entries = crms.map((crm) =>
			syncLog(crm, operation, logStatus, {
				target: { type: 'client', id: clientId },
				reason: `${effective.status}: ${reason}`,
			}),
		);
		outputs.route(verdict.itemIndex, effective.status, {
			...verdict.json,
			qualification,
			syncLog: [...priorLogs(verdict.json), ...entries],
		});
	}
	return outputs.result();
}

function judgedConversation(verdict: Verdict): JudgedConversation {
	return {
		clientId: verdict.clientId,
		status: verdict.status,
		priorStatus: verdict.input.priorStatus,
		firstQualified: verdict.input.qualification?.firstQualified === true,
		reviewVerdict: verdict.review?.verdict,
	};
}

async function judge(
	ctx: IExecuteFunctions,
	mode: Mode,
	model: ChatModelLike | undefined,
	itemIndex: number,
	json: IDataObject,
): Promise<Verdict | NodeOperationError> {
	const node = ctx.getNode();
	const parsed = parseGateInput(node, json, itemIndex);
	if (!parsed.ok) return parsed.error;
	const input = parsed.input;
	const criteria = criteriaFor(ctx, itemIndex);
	const evidence = evidenceOf(input);
	const rules = qualify(criteria, evidence);
	const base = { itemIndex, json, input, clientId: input.client.id, checks: rules.checks };

	if (mode === 'rules') {
		if (!rules.decidedBy)
			return new NodeOperationError(
				node,
				`Item ${itemIndex}: no qualification criterion is enabled`,
				{
					itemIndex,
					description:
						'Enable at least one criterion (message count, keywords, contact fields or score), or use AI Review mode.',
				},
			);
		const decidedBy = {
			kind: rules.decidedBy.kind,
			label: criterionLabel(rules.decidedBy.kind),
			priority: rules.decidedBy.priority,
		};
		return {
			...base,
			status: rules.status,
			provisional: rules.provisional,
			decidedBy,
			reason: rules.reason,
		};
	}

	const currentStatus =
		input.qualification?.conversationStatus ?? input.qualification?.status ?? rules.status;
	if (!model) {
		// Never a failure: the lead keeps the status it has (a provisional one stays provisional).
		const provisional = input.qualification?.provisional ?? rules.provisional;
		return {
			...base,
			status: currentStatus,
			provisional,
			decidedBy: null,
			reason: NO_MODEL_REASON,
			reviewSkipped: NO_MODEL_REASON,
		};
	}
	let review;
	try {
		review = await reviewWithModel(ctx, model, {
			currentStatus,
			transcript: transcriptOf(input),
			contact: {
				name: input.client.name,
				email: input.client.email,
				phone: input.client.phone,
				company: input.client.company,
			},
			score: evidence.score,
			messageCount: evidence.messageCount,
			checks: rules.checks,
			instructions: ctx.getNodeParameter('reviewInstructions', itemIndex, '') as string,
		});
	} catch (error) {
		return new NodeOperationError(
			node,
			`Item ${itemIndex}: the chat model failed: ${(error as Error).message}`,
			{ itemIndex },
		);
	}
	if (!review.ok)
		return new NodeOperationError(
			node,
			`Item ${itemIndex}: the AI review answer could not be read`,
			{ itemIndex, description: review.error },
		);
	return {
		...base,
		status: review.review.status,
		provisional: false,
		decidedBy: { kind: 'aiReview', label: 'AI review' },
		reason: review.review.reason,
		review: review.review,
	};
}
