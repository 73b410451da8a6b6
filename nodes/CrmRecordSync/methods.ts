/** Editor methods: the source and target CRMs' fields, loaded live through the providers' cached describe. */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import type { CrmName, ObjectKind } from '../shared/model';
import { missingCredentialNotice, noticeOption } from '../shared/node/editorCredential';
import { connectProvider } from '../shared/providers/connect';
import { crmDisplayName } from '../shared/providers/profiles';
import { mergeTypeOf, objectTypeFor } from '../CrmContactFieldMerge/fieldSpecs';
import { directionOf } from './directions';

async function fieldOptions(
	ctx: ILoadOptionsFunctions,
	side: 'source' | 'target',
): Promise<INodePropertyOptions[]> {
	const direction = directionOf(ctx.getCurrentNodeParameter('direction'));
	if (!direction) return noticeOption('Choose a direction first');
	const crm: CrmName = direction[side];
	const notice = missingCredentialNotice(ctx, `the ${side} fields`, crm);
	if (notice) return noticeOption(notice);
	const kind = (ctx.getCurrentNodeParameter('objectKind') as ObjectKind | undefined) ?? 'contact';
	const { provider } = await connectProvider(ctx, crm);
	const objectType = objectTypeFor(provider.profile, kind);
	if (!objectType) return noticeOption(`${crmDisplayName(crm)} has no ${kind} object`);
	const description = await provider.describeObject(objectType);
	return description.fields
		.filter((field) => side === 'source' || !field.readOnly)
		.map((field) => {
			const type = mergeTypeOf(field);
			return {
				name: field.label || field.name,
				value: field.name,
				description: `${field.name} (${field.nativeType}${type ? '' : ', not convertible'})`,
			};
		})
		.sort((a, b) => a.name.localeCompare(b.name));
}

export async function getSourceFields(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	return await fieldOptions(this, 'source');
}

export async function getTargetFields(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	return await fieldOptions(this, 'target');
}
