/**
 * The registry of CRM profiles: every fact about a CRM that nodes, descriptions and the
 * transport need, looked up by the CRM's name. Adding a CRM means adding its profile here.
 */
import type { CrmName, ObjectKind } from '../model';
import { AUTOCHAT_PROFILE } from './autochat/profile';
import { DYNAMICS_PROFILE } from './dynamics/profile';
import { HUBSPOT_PROFILE } from './hubspot/profile';
import type { CrmProfile } from './profile';
import { SALESFORCE_PROFILE } from './salesforce/profile';

export const CRM_PROFILES: Readonly<Record<CrmName, CrmProfile>> = {
	hubspot: HUBSPOT_PROFILE,
	salesforce: SALESFORCE_PROFILE,
	dynamics: DYNAMICS_PROFILE,
	autochat: AUTOCHAT_PROFILE,
};

export function profileOf(crm: CrmName): CrmProfile {
	return CRM_PROFILES[crm];
}

/** The CRM's name as every message shows it. */
export function crmDisplayName(crm: CrmName): string {
	return CRM_PROFILES[crm].displayName;
}

/** The CRMs, in the registry's order, for which `test` holds. */
export function crmsWhere(test: (profile: CrmProfile) => boolean): CrmName[] {
	return Object.values(CRM_PROFILES)
		.filter(test)
		.map((profile) => profile.crm);
}

/** The record kinds a CRM has, in the profile's order. */
export function objectKindsOf(crm: CrmName): ObjectKind[] {
	return Object.keys(CRM_PROFILES[crm].objects) as ObjectKind[];
}

/** Person kinds (contact, and lead where the CRM has leads), in the profile's order. */
export function personKindsOf(crm: CrmName): ObjectKind[] {
	return objectKindsOf(crm).filter((kind) => kind === 'contact' || kind === 'lead');
}

/** Whether the CRM keeps leads next to contacts. */
export function hasLeads(crm: CrmName): boolean {
	return CRM_PROFILES[crm].objects.lead !== undefined;
}
