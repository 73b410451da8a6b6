/**
 * The readable lines a call log carries in its description for what the CRM has no field
 * for: the two phone numbers, the recording and the outcome. The format is fixed so people
 * and reports can rely on it:
 *
 *   From: +14155550101 · To: +14155550199
 *   Recording: https://example.com/r/1
 *   Outcome: Left voicemail
 */
import type { ActivityDraft } from '../model';
import { singleLine } from './text';

const LINE_LIMIT = 1000;

export interface CallDetailChoice {
	numbers: boolean;
	recording: boolean;
	outcome: boolean;
}

export function callDetailLines(
	draft: Pick<ActivityDraft, 'fromNumber' | 'toNumber' | 'recordingUrl' | 'outcome'>,
	include: CallDetailChoice,
): string[] {
	const lines: string[] = [];
	if (include.numbers) {
		const parts = [
			draft.fromNumber ? `From: ${draft.fromNumber}` : undefined,
			draft.toNumber ? `To: ${draft.toNumber}` : undefined,
		].filter((part): part is string => part !== undefined);
		if (parts.length) lines.push(parts.join(' · '));
	}
	if (include.recording && draft.recordingUrl) lines.push(`Recording: ${draft.recordingUrl}`);
	if (include.outcome && draft.outcome) lines.push(`Outcome: ${draft.outcome}`);
	return lines.map((line) => singleLine(line, LINE_LIMIT)).filter((line) => line !== '');
}
