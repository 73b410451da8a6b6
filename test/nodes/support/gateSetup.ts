/**
 * CRM Qualification Gate suites: the node's name and output indexes, its workflow, and a
 * reader for the decision it adds to each item. The gate calls no CRM, so no sandbox.
 */
import type { IDataObject, INode, INodeType } from 'n8n-workflow';

import { CrmQualificationGate } from '../../../nodes/CrmQualificationGate/CrmQualificationGate.node';
import type { EngineHarness } from '../harness/runWorkflow';
import { packHarness, singleNodeWorkflow } from './packHarness';

export const GATE = 'Gate';
/** The gate's outputs, in the node's order. */
export const QUALIFIED = 0;
export const UNQUALIFIED = 1;
export const PENDING = 2;
export const ERROR = 3;

/** The `qualification` the gate adds; the optional fields come from one mode only. */
export type Qualification = {
	status: string;
	conversationStatus: string;
	provisional: boolean;
	sticky: boolean;
	firstQualified: boolean;
	decidedBy: { kind: string; label?: string; priority?: number } | null;
	reason: string;
	/** Rules mode: one entry per enabled criterion. */
	checks?: Array<{ kind: string; verdict: string }>;
	/** AI Review mode. */
	mode?: string;
	changed?: boolean;
	review?: {
		verdict?: string;
		previousStatus?: string;
		status?: string;
		reason: string;
		note?: string;
		skipped?: boolean;
	};
};
export const q = (json: IDataObject) => json.qualification as Qualification;

export interface ConversationSample {
	/** The contact of client `clientId`, keys in the order the suite expects them. */
	client: (clientId: string) => IDataObject;
	messages: IDataObject[];
	score: number;
}

/** Builds conversation `conv-<clientId>` from the sample; `over` replaces top-level fields. */
export function conversationBuilder(sample: ConversationSample) {
	return (clientId: string, over: IDataObject = {}): IDataObject => ({
		id: `conv-${clientId}`,
		client: sample.client(clientId),
		// Copies, so no two items share message objects.
		messages: sample.messages.map((message) => ({ ...message })),
		score: sample.score,
		...over,
	});
}

/** A fresh harness is a fresh processed-items store, so no client is remembered as qualified yet. */
export function gateHarness(extraNodes: Record<string, INodeType> = {}): EngineHarness {
	return packHarness({ crmQualificationGate: new CrmQualificationGate(), ...extraNodes });
}

/** Items → Gate; the gate needs no credentials. */
export function gateWorkflow(
	parameters: IDataObject,
	items: IDataObject[],
	settings: Partial<Pick<INode, 'onError'>> = {},
) {
	return singleNodeWorkflow(GATE, 'crmQualificationGate', parameters, items, {}, settings);
}

/** A three-message conversation asking for pricing and a demo (qualified by the usual rules). */
export const pricingConversation = conversationBuilder({
	client: (clientId) => ({
		id: clientId,
		email: `${clientId}@acme.example`,
		phone: '+14155550101',
		company: 'Acme',
	}),
	messages: [
		{ role: 'client', text: 'Hi, we need pricing for 20 vans.' },
		{ role: 'agent', text: 'Sure, what is your timeline?' },
		{ role: 'client', text: 'Next month, can we book a demo?' },
	],
	score: 80,
});

/** Rules mode with the message-count criterion on (3 messages), plus `over`. */
export const messageCountRules = (over: IDataObject = {}): IDataObject => ({
	mode: 'rules',
	useMessageCount: true,
	minMessages: 3,
	...over,
});
