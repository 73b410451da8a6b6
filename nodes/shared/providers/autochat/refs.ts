/** autoch.at records as the neutral CrmRef. */
import type { CrmRef } from '../../model';
import type { AutochatClientRecord } from './endpoints';
import { CLIENT_OBJECT_TYPE } from './objectType';
import { toRecordData } from './records';

function clientName(client: AutochatClientRecord): string | undefined {
	if (typeof client.name === 'string' && client.name.trim() !== '') return client.name;
	const parts = [client.first_name, client.last_name].filter(
		(part): part is string => typeof part === 'string' && part.trim() !== '',
	);
	return parts.length ? parts.join(' ') : undefined;
}

export function clientRef(client: AutochatClientRecord, matchedBy: string): CrmRef {
	const data = toRecordData(client);
	return {
		crm: 'autochat',
		kind: 'contact',
		objectType: CLIENT_OBJECT_TYPE,
		id: client.id,
		name: clientName(client),
		matchedBy,
		createdAt: data.createdAt,
		updatedAt: data.updatedAt,
		properties: data.properties,
	};
}
