/** Editor methods: the CRM's fields, loaded live through the provider's cached describe. */
import type {
	ILoadOptionsFunctions,
	INodePropertyOptions,
	ResourceMapperFields,
} from 'n8n-workflow';

import type { ObjectKind } from '../shared/model';
import { missingCredentialNotice, noticeOption } from '../shared/node/editorCredential';
import { connectProvider } from '../shared/providers/connect';
import type { ObjectDescription } from '../shared/providers/CrmProvider';
import { mapperColumns, mergeTypeOf, objectTypeFor } from './fieldSpecs';

async function describeSelected(
	ctx: ILoadOptionsFunctions,
): Promise<ObjectDescription | undefined> {
	const kind = (ctx.getCurrentNodeParameter('objectKind') as ObjectKind | undefined) ?? 'contact';
	const { provider } = await connectProvider(ctx);
	const objectType = objectTypeFor(provider.profile, kind);
	if (!objectType) return undefined;
	return await provider.describeObject(objectType);
}

/** Resource mapper columns: every field, writable ones shown, match-capable ones marked. */
export async function getMergeFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const notice = missingCredentialNotice(this, 'the fields to write');
	if (notice) return { fields: [], emptyFieldsNotice: notice };
	const description = await describeSelected(this);
	if (!description) return { fields: [], emptyFieldsNotice: 'This CRM has no such object' };
	return { fields: mapperColumns(description) };
}

/** Writable field names for the Update Modes list. */
export async function getMergeFieldNames(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const notice = missingCredentialNotice(this, 'the fields');
	if (notice) return noticeOption(notice);
	const description = await describeSelected(this);
	return (description?.fields ?? [])
		.filter((field) => !field.readOnly && mergeTypeOf(field) !== undefined)
		.map((field) => ({
			name: field.label || field.name,
			value: field.name,
			description: `${field.name} (${field.nativeType})`,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}
