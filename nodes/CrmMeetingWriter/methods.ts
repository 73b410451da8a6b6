/** Editor drop-downs of Log Call: the CRM's call outcomes and the call's writable fields. */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { missingCredentialNotice, noticeOption } from '../shared/node/editorCredential';
import { connectProvider, selectedCrm } from '../shared/providers/connect';
import { profileOf } from '../shared/providers/profiles';
import { isOfferedField } from './logic/callOutcome';

/** The account's call outcomes (HubSpot: its dispositions), by label; the value is the id a call stores. */
export async function getCallOutcomes(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const none = { name: '(None)', value: '' };
	if (profileOf(selectedCrm(this)).callLog.outcome.store !== 'choice') return [none];
	const notice = missingCredentialNotice(this, 'its call outcomes');
	if (notice) return noticeOption(notice);
	const { provider } = await connectProvider(this);
	const outcomes = (await provider.listCallOutcomes?.()) ?? [];
	return [none, ...outcomes.map((outcome) => ({ name: outcome.label, value: outcome.value }))];
}

/** Fields of the CRM's call object that Additional Activity Fields can set. */
export async function getCallFieldNames(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const { fieldsObject, reservedFields } = profileOf(selectedCrm(this)).callLog;
	if (!fieldsObject) return [];
	const notice = missingCredentialNotice(this, 'the fields of a call');
	if (notice) return noticeOption(notice);
	const { provider } = await connectProvider(this);
	const description = await provider.describeObject(fieldsObject);
	return description.fields
		.filter((field) => isOfferedField(field, reservedFields))
		.map((field) => ({
			name: field.label || field.name,
			value: field.name,
			description: `${field.name} (${field.nativeType})`,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}
