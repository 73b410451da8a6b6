/**
 * Associations of listed records: for each associated kind, one v4 associations batch read
 * per 1,000 records (contact → companies; deal → companies and contacts; companies carry
 * none; calls, meetings, notes and emails → contacts, companies and deals). Ids come out as
 * HubSpot lists them.
 */
import type { ObjectKind } from '../../model';
import { chunk } from '../batch';
import type { RecordAssociations, RecordData } from '../CrmProvider';
import { HUBSPOT_PROFILE } from './profile';
import type { HubSpotSession } from './session';

type HubSpotKind = keyof typeof HUBSPOT_PROFILE.objects;

/** Inputs one v4 associations batch read accepts. */
export const ASSOCIATION_READ_BATCH = 1000;

/** Which kinds a record of each kind carries the ids of. */
const ASSOCIATED: Readonly<Record<HubSpotKind, readonly HubSpotKind[]>> = {
	contact: ['company'],
	deal: ['company', 'contact'],
	company: [],
};

/** Timeline activities (calls, meetings, notes, emails) carry the contacts, companies and deals they are about. */
const TIMELINE_OBJECTS: ReadonlySet<string> = new Set(
	HUBSPOT_PROFILE.timeline.objects.map((facts) => facts.objectType),
);
const TIMELINE_ASSOCIATED: readonly HubSpotKind[] = ['contact', 'company', 'deal'];

function associatedKinds(objectType: string): readonly HubSpotKind[] {
	if (TIMELINE_OBJECTS.has(objectType)) return TIMELINE_ASSOCIATED;
	const kind = kindOf(objectType);
	return kind ? ASSOCIATED[kind] : [];
}

function kindOf(objectType: string): HubSpotKind | undefined {
	return (Object.keys(HUBSPOT_PROFILE.objects) as HubSpotKind[]).find(
		(kind) => HUBSPOT_PROFILE.objects[kind].objectType === objectType,
	);
}

export async function withAssociations(
	session: HubSpotSession,
	objectType: string,
	records: RecordData[],
	kinds?: readonly ObjectKind[],
): Promise<RecordData[]> {
	const targets = associatedKinds(objectType).filter((kind) => !kinds || kinds.includes(kind));
	const byRecord = new Map<string, RecordAssociations>(
		records.map((record) => [record.id, Object.fromEntries(targets.map((t) => [t, []]))]),
	);
	if (records.length > 0) {
		const batches = chunk(
			records.map((record) => record.id),
			ASSOCIATION_READ_BATCH,
		);
		await Promise.all(
			targets.flatMap((target: ObjectKind & HubSpotKind) =>
				batches.map(async (ids) => {
					const to = HUBSPOT_PROFILE.objects[target].objectType;
					const links = await session.send(
						`POST /crm/v4/associations/${objectType}/${to}/batch/read`,
						true,
						(api) => api.readAssociations(objectType, to, ids),
					);
					for (const link of links) {
						const entry = byRecord.get(link.fromId);
						if (entry) entry[target] = [...new Set([...(entry[target] ?? []), ...link.toIds])];
					}
				}),
			),
		);
	}
	return records.map((record) => ({ ...record, associations: byRecord.get(record.id) ?? {} }));
}
