/**
 * The Dataverse tables this provider knows by heart: logical name, entity set and primary
 * id column. Other tables are resolved through EntityDefinitions (see metadata.ts).
 */
import type { ActivityKind, ObjectKind } from '../../model';

export interface EntityInfo {
	logicalName: string;
	entitySet: string;
	primaryId: string;
}

export const KNOWN_ENTITIES: Readonly<Record<string, EntityInfo>> = {
	contact: { logicalName: 'contact', entitySet: 'contacts', primaryId: 'contactid' },
	account: { logicalName: 'account', entitySet: 'accounts', primaryId: 'accountid' },
	lead: { logicalName: 'lead', entitySet: 'leads', primaryId: 'leadid' },
	opportunity: {
		logicalName: 'opportunity',
		entitySet: 'opportunities',
		primaryId: 'opportunityid',
	},
	annotation: { logicalName: 'annotation', entitySet: 'annotations', primaryId: 'annotationid' },
	phonecall: { logicalName: 'phonecall', entitySet: 'phonecalls', primaryId: 'activityid' },
	task: { logicalName: 'task', entitySet: 'tasks', primaryId: 'activityid' },
	appointment: { logicalName: 'appointment', entitySet: 'appointments', primaryId: 'activityid' },
	systemuser: { logicalName: 'systemuser', entitySet: 'systemusers', primaryId: 'systemuserid' },
};

/** Neutral record kind → Dataverse logical name. */
export const KIND_TO_ENTITY: Readonly<Record<ObjectKind, string>> = {
	contact: 'contact',
	company: 'account',
	deal: 'opportunity',
	lead: 'lead',
};

/** Neutral activity kind → Dataverse activity table. */
export const ACTIVITY_ENTITY: Readonly<Record<ActivityKind, string>> = {
	note: 'annotation',
	call: 'phonecall',
	task: 'task',
	meeting: 'appointment',
	// Dataverse has no standard table for a WhatsApp/LinkedIn/SMS conversation that every org
	// has: a task regarding the record holds it (social activities need social profiles).
	chat: 'task',
};

/** Finds a known table by logical name or entity set name. */
export function knownEntity(objectType: string): EntityInfo | undefined {
	const key = objectType.toLowerCase();
	return (
		KNOWN_ENTITIES[key] ?? Object.values(KNOWN_ENTITIES).find((info) => info.entitySet === key)
	);
}

/** Logical name of a neutral target (CrmRef.objectType may be a logical or an entity set name). */
export function entityForRef(ref: { kind: ObjectKind; objectType: string }): EntityInfo {
	return knownEntity(ref.objectType) ?? (KNOWN_ENTITIES[KIND_TO_ENTITY[ref.kind]] as EntityInfo);
}
