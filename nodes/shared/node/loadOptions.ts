/** Editor drop-downs filled live from the CRM (through the metadata cache). */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { connectProvider, selectedCrm } from '../providers/connect';
import { profileOf } from '../providers/profiles';
import { missingCredentialNotice, noticeOption } from './editorCredential';

/** Meeting types of the CRM's portal (HubSpot: the `hs_activity_type` options on meetings). */
export async function getMeetingTypes(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const typeField = profileOf(selectedCrm(this)).meetingDetails?.typeField;
	if (!typeField) return [{ name: '(None)', value: '' }];
	const notice = missingCredentialNotice(this, 'its meeting types');
	if (notice) return noticeOption(notice);
	const { provider } = await connectProvider(this);
	const description = await provider.describeObject(typeField.objectType);
	const field = description.fields.find((f) => f.name === typeField.field);
	const options = (field?.options ?? []).map((option) => ({
		name: option.label || option.value,
		value: option.value,
	}));
	return [{ name: '(None)', value: '' }, ...options];
}
