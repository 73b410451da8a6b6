/**
 * HubSpot-defined association type ids (v4, category HUBSPOT_DEFINED), used inline when
 * creating engagements. Source: HubSpot's association type id tables (see crm-apis.md).
 */
import type { ActivityKind, ObjectKind } from '../../model';

/** Neutral activity kind → HubSpot engagement object type. */
export const ENGAGEMENT_OBJECT: Record<ActivityKind, string> = {
	note: 'notes',
	meeting: 'meetings',
	task: 'tasks',
	call: 'calls',
	chat: 'communications',
};

/** Neutral record kind → HubSpot object type (leads are not supported by this provider). */
export const RECORD_OBJECT: Partial<Record<ObjectKind, string>> = {
	contact: 'contacts',
	company: 'companies',
	deal: 'deals',
};

const ENGAGEMENT_TO_RECORD: Record<ActivityKind, Partial<Record<ObjectKind, number>>> = {
	note: { contact: 202, company: 190, deal: 214 },
	call: { contact: 194, company: 182, deal: 206 },
	meeting: { contact: 200, company: 188, deal: 212 },
	task: { contact: 204, company: 192, deal: 216 },
	chat: { contact: 81, company: 87, deal: 85 },
};

/** Association type id from an engagement to a record, or undefined when HubSpot has none. */
export function engagementAssociationTypeId(
	kind: ActivityKind,
	target: ObjectKind,
): number | undefined {
	return ENGAGEMENT_TO_RECORD[kind][target];
}
