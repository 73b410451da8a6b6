/**
 * Sticky qualification (seed: "once a client has a qualified conversation, they will be
 * synced even if later conversations are unqualified"). The conversation keeps its own
 * verdict; the client's effective status — which decides syncing — is qualified when any of
 * its conversations is (provisional included).
 */
import type { QualificationStatus } from './qualification';

export interface EffectiveStatus {
	/** The status that decides syncing (the gate's output). */
	status: QualificationStatus;
	/** True when the client is qualified only because of an earlier conversation. */
	sticky: boolean;
}

export function effectiveStatus(conversationStatus: QualificationStatus, clientAlreadyQualified: boolean): EffectiveStatus {
	if (conversationStatus === 'qualified') return { status: 'qualified', sticky: false };
	if (clientAlreadyQualified) return { status: 'qualified', sticky: true };
	return { status: conversationStatus, sticky: false };
}

/** Entry in n8n's processed-items store that marks a client as qualified at least once. */
export function qualifiedClientEntry(clientId: string): string {
	return `qualified-client:${clientId}`;
}
