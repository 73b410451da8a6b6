/**
 * Log Call's per-item extras — outcome, recording URL, additional fields — read inside each
 * item's boundary, then checked against what the CRM lists (its call outcomes, its call
 * fields), which is loaded once for the batch and only when some item needs it.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import type { ActivityDraft, Conversation } from '../shared/model';
import { MALFORMED_INPUT_STATUS, markFailure } from '../shared/node/failureKind';
import type { CrmProvider, FieldDescription, FieldOption } from '../shared/providers/CrmProvider';
import {
	additionalFieldValue,
	checkRecordingUrl,
	resolveCallOutcome,
	type Checked,
} from './logic/callOutcome';

export interface RawCallExtras {
	outcome: string;
	recordingUrl?: string;
	fields: Array<{ name: string; value: string }>;
}

export type CallExtras = Pick<ActivityDraft, 'outcome' | 'recordingUrl' | 'extraFields'>;

/** The item's parameters as given (an expression may differ per item); the conversation's recordingUrl when none is set. */
export function readCallExtras(
	ctx: IExecuteFunctions,
	itemIndex: number,
	conversation: Conversation,
): RawCallExtras {
	const collection = ctx.getNodeParameter('additionalCallFields', itemIndex, {}) as IDataObject;
	const entries =
		(collection.field as Array<{ name?: unknown; value?: unknown }> | undefined) ?? [];
	const fromConversation = (conversation as Record<string, unknown>).recordingUrl;
	const recordingUrl = String(ctx.getNodeParameter('recordingUrl', itemIndex, '') ?? '').trim();
	return {
		outcome: String(ctx.getNodeParameter('callOutcome', itemIndex, '') ?? ''),
		recordingUrl:
			recordingUrl || (typeof fromConversation === 'string' ? fromConversation : undefined),
		fields: entries
			.map((entry) => ({ name: String(entry.name ?? '').trim(), value: String(entry.value ?? '') }))
			.filter((entry) => entry.name !== ''),
	};
}

/** What the checks need from the CRM, loaded only when some item uses it. */
export interface CallLists {
	outcomes: FieldOption[];
	fields: FieldDescription[];
}

export async function loadCallLists(
	provider: CrmProvider,
	raws: readonly RawCallExtras[],
): Promise<CallLists> {
	const { outcome, fieldsObject } = provider.profile.callLog;
	const needOutcomes = outcome.store === 'choice' && raws.some((raw) => raw.outcome.trim() !== '');
	const needFields = fieldsObject !== undefined && raws.some((raw) => raw.fields.length > 0);
	const [outcomes, description] = await Promise.all([
		needOutcomes ? (provider.listCallOutcomes?.() ?? Promise.resolve([])) : [],
		needFields && fieldsObject ? provider.describeObject(fieldsObject) : undefined,
	]);
	return { outcomes, fields: description?.fields ?? [] };
}

function invalid(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	message: string,
): NodeOperationError {
	const error = new NodeOperationError(
		ctx.getNode(),
		`Item ${itemIndex}: field "${field}": ${message}`,
		{ itemIndex },
	);
	return markFailure(error, {
		failureKind: 'invalid-input',
		field,
		httpStatus: MALFORMED_INPUT_STATUS,
	});
}

function valueOf<T>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	checked: Checked<T>,
): T {
	if (!checked.ok) throw invalid(ctx, itemIndex, field, checked.message);
	return checked.value;
}

/** The checked extras of one item; throws that item's error naming the field at fault. */
export function checkCallExtras(
	ctx: IExecuteFunctions,
	itemIndex: number,
	provider: CrmProvider,
	raw: RawCallExtras,
	lists: CallLists,
): CallExtras {
	const { callLog, displayName, fieldValues } = provider.profile;
	const outcome = valueOf(
		ctx,
		itemIndex,
		'Outcome / Disposition',
		resolveCallOutcome(raw.outcome, callLog.outcome, lists.outcomes, displayName),
	);
	const recordingUrl = valueOf(
		ctx,
		itemIndex,
		'Recording URL',
		checkRecordingUrl(raw.recordingUrl),
	);
	const extraFields: Record<string, string | number | boolean> = {};
	for (const { name, value } of raw.fields) {
		extraFields[name] = valueOf(
			ctx,
			itemIndex,
			`Additional Activity Fields.${name}`,
			additionalFieldValue(
				name,
				value,
				lists.fields,
				callLog.reservedFields,
				fieldValues.choicesAsNumbers,
			),
		);
	}
	return {
		outcome,
		recordingUrl,
		extraFields: Object.keys(extraFields).length ? extraFields : undefined,
	};
}
