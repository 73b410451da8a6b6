/** Editor methods: the target CRM's task types, loaded live through the provider's cached describe. */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { missingCredentialNotice, noticeOption } from '../shared/node/editorCredential';
import { connectProvider } from '../shared/providers/connect';
import { crmDisplayName, profileOf } from '../shared/providers/profiles';
import { timelineDirectionOf } from './directions';

export async function getTaskTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const direction = timelineDirectionOf(this.getCurrentNodeParameter('direction'));
	if (!direction) return noticeOption('Choose a direction first');
	const crm = direction.target;
	const task = profileOf(crm).timelineTask;
	if (!task || task.typeValues !== 'picklist')
		return noticeOption(`${crmDisplayName(crm)} tasks have no type list`);
	const notice = missingCredentialNotice(this, 'the task types', crm);
	if (notice) return noticeOption(notice);
	const { provider } = await connectProvider(this, crm);
	const description = await provider.describeObject(task.objectType);
	const field = description.fields.find((candidate) => candidate.name === task.typeField);
	return [
		{ name: '(None)', value: '' },
		...(field?.options ?? []).map((option) => ({ name: option.label, value: option.value })),
	];
}
