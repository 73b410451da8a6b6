/** The Extra Fields drop-down, filled live from the CRM's object description (cached). */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { missingCredentialNotice, noticeOption } from '../shared/node/editorCredential';
import { connectProvider } from '../shared/providers/connect';

export async function getSyncFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const objectType = this.getCurrentNodeParameter('objectType');
	if (typeof objectType !== 'string' || objectType === '') return [];
	const notice = missingCredentialNotice(this, 'the fields');
	if (notice) return noticeOption(notice);
	const { provider } = await connectProvider(this);
	const description = await provider.describeObject(objectType);
	return description.fields
		.map((field) => ({
			name: field.label || field.name,
			value: field.name,
			description: `${field.name} (${field.nativeType})`,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** The List/Segment drop-down: the CRM's lists of the chosen object, by name. */
export async function getSegments(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const objectType = this.getCurrentNodeParameter('objectType');
	if (typeof objectType !== 'string' || objectType === '') return [];
	const notice = missingCredentialNotice(this, 'the lists');
	if (notice) return noticeOption(notice);
	const { provider } = await connectProvider(this);
	if (!provider.listSegments) return [];
	const segments = await provider.listSegments(objectType);
	return segments.map((segment) => ({
		name: segment.name,
		value: segment.id,
		...(segment.description ? { description: segment.description } : {}),
	}));
}

/** The Inclusion List drop-down: "none" (every change) first, then the CRM's lists of the object. */
export async function getInclusionSegments(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const lists = await getSegments.call(this);
	// Without a credential the one option says which to set up (a "none" beside it would read as a list).
	if (lists.length === 1 && lists[0].value === '') return lists;
	return [{ name: 'None (All Changed Records)', value: '' }, ...lists];
}
