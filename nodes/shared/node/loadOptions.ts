/** Editor drop-downs filled live from the CRM (through the metadata cache). */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { connectProvider } from '../providers/connect';

/** HubSpot meeting types (the portal's `hs_activity_type` options on meetings). */
export async function getMeetingTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { provider } = await connectProvider(this, 'hubspot');
	const description = await provider.describeObject('meetings');
	const field = description.fields.find((f) => f.name === 'hs_activity_type');
	const options = (field?.options ?? []).map((option) => ({ name: option.label || option.value, value: option.value }));
	return [{ name: '(None)', value: '' }, ...options];
}
