/**
 * Sticky qualification (seed: "once a client has a qualified conversation, they will be
 * synced even if later conversations are unqualified"). The conversation keeps its own
 * verdict; the client's effective status — which decides syncing — is qualified when any of
 * its conversations is (provisional included).
 */
import type { QualificationStatus } from './qualification';
import type { ReviewVerdict } from './qualificationReview';

/** What the batch-level rules need from one judged conversation. */
export interface JudgedConversation {
	clientId: string;
	/** This conversation's own verdict. */
	status: QualificationStatus;
	/** The platform's best status of the client's other conversations, when it sent one. */
	priorStatus?: QualificationStatus | null;
	/** An earlier gate marked this conversation as the one that first qualified the client. */
	firstQualified: boolean;
	/** The AI review's verdict, when one ran. */
	reviewVerdict?: ReviewVerdict;
}

export interface ClientState {
	/** Some conversation of this client in this batch qualifies. */
	qualifiedNow: boolean;
	/** This batch downgrades the conversation that first qualified the client. */
	retract: boolean;
}

/**
 * Per client, over one batch: does any conversation qualify now, and does the AI review
 * withdraw the qualification this very conversation created? Only then is the client's
 * remembered qualification retracted — another qualified conversation keeps it.
 */
export function clientStates(
	conversations: readonly JudgedConversation[],
): Map<string, ClientState> {
	const clients = new Map<string, ClientState>();
	for (const conversation of conversations) {
		const state = clients.get(conversation.clientId) ?? { qualifiedNow: false, retract: false };
		if (conversation.status === 'qualified') state.qualifiedNow = true;
		const ownQualificationWithdrawn =
			conversation.reviewVerdict === 'downgraded' &&
			conversation.firstQualified &&
			conversation.priorStatus !== 'qualified';
		if (ownQualificationWithdrawn) state.retract = true;
		clients.set(conversation.clientId, state);
	}
	return clients;
}

/**
 * Was the client qualified apart from this conversation: by the platform's prior status, by
 * the gate's memory, or by another conversation of the same batch that qualifies now.
 */
export function qualifiedElsewhere(
	conversation: JudgedConversation,
	clients: ReadonlyMap<string, ClientState>,
	rememberedAsQualified: boolean,
): boolean {
	const otherItemQualifies =
		clients.get(conversation.clientId)?.qualifiedNow === true &&
		conversation.status !== 'qualified';
	return conversation.priorStatus === 'qualified' || rememberedAsQualified || otherItemQualifies;
}

export interface EffectiveStatus {
	/** The status that decides syncing (the gate's output). */
	status: QualificationStatus;
	/** True when the client is qualified only because of an earlier conversation. */
	sticky: boolean;
}

export function effectiveStatus(
	conversationStatus: QualificationStatus,
	clientAlreadyQualified: boolean,
): EffectiveStatus {
	if (conversationStatus === 'qualified') return { status: 'qualified', sticky: false };
	if (clientAlreadyQualified) return { status: 'qualified', sticky: true };
	return { status: conversationStatus, sticky: false };
}

/** Entry in n8n's processed-items store that marks a client as qualified at least once. */
export function qualifiedClientEntry(clientId: string): string {
	return `qualified-client:${clientId}`;
}
