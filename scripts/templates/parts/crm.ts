/** The pack's nodes as the templates configure them: CRM, authentication, credential slot, error output. */
import type { ResourceMapperField } from 'n8n-workflow';

import type { CrmName, ObjectKind } from '../../../nodes/shared/model';
import { hasLeads } from '../../../nodes/shared/providers/profiles';
import { schemaKey, type FieldSchemas } from '../fieldSchemas';
import type { NodeSpec, Position } from '../workflow';

export const PACK = 'n8n-nodes-crm-sync';

export const CRM_LABELS: Record<CrmName, string> = {
	hubspot: 'HubSpot',
	salesforce: 'Salesforce',
	dynamics: 'Dynamics',
	autochat: 'autoch.at',
};

/** The authentication each template ships with, and the credential slot it asks for (never an id). */
const AUTH: Record<
	CrmName,
	{ parameter: string; value: string; credential: string; name: string }
> = {
	hubspot: {
		parameter: 'hubspotAuthentication',
		value: 'privateApp',
		credential: 'crmSyncHubSpotPrivateAppApi',
		name: 'HubSpot private app',
	},
	salesforce: {
		parameter: 'salesforceAuthentication',
		value: 'clientCredentials',
		credential: 'crmSyncSalesforceClientCredentialsApi',
		name: 'Salesforce client credentials',
	},
	dynamics: {
		parameter: 'dynamicsAuthentication',
		value: 'clientCredentials',
		credential: 'crmSyncDynamicsClientCredentialsApi',
		name: 'Dynamics 365 client credentials',
	},
	autochat: {
		parameter: 'autochatAuthentication',
		value: 'apiKey',
		credential: 'crmSyncAutochatApi',
		name: 'autoch.at CRM API key',
	},
};

/** A pack node for `crm`; failures go to its error output unless said otherwise. */
export function crmNode(
	crm: CrmName,
	name: string,
	node: string,
	position: Position,
	parameters: Record<string, unknown>,
	extra: Partial<NodeSpec> = {},
): NodeSpec {
	const auth = AUTH[crm];
	return {
		name,
		type: `${PACK}.${node}`,
		typeVersion: 1,
		position,
		parameters: { crm, [auth.parameter]: auth.value, ...parameters },
		credentials: { [auth.credential]: { name: auth.name } },
		onError: 'continueErrorOutput',
		...extra,
	};
}

export interface FieldMergeSpec {
	objectKind: ObjectKind;
	matchBy: 'phone' | 'email' | 'id';
	matchValue: string;
	/** The other person key (email when matching by phone); absent = no fallback. */
	fallbackValue?: string;
	/** Field → expression (or fixed value) to write. */
	values: Record<string, string>;
	defaultMode: 'overwrite' | 'fillIfEmpty' | 'merge';
	modes?: Record<string, 'overwrite' | 'fillIfEmpty' | 'merge' | 'advanceOnly'>;
	createIfMissing: boolean;
	createAs?: 'lead' | 'contact';
	defaultCountry?: string;
	/** The record id stored from an earlier write: read first, phone/email only when it is gone. */
	knownRecordId?: string;
	/** Which object that id is (CRMs with leads). */
	knownRecordObject?: string;
	/** Map State & Country (to codes or names, as the CRM stores them). */
	mapStateAndCountry?: boolean;
}

/**
 * The resource mapper value with its schema: every field of the object as a standard org
 * describes it, the mapped ones shown, the others hidden (offered under "Add field").
 */
export function mappedFields(
	schemas: FieldSchemas,
	crm: CrmName,
	kind: ObjectKind,
	values: Record<string, string>,
): Record<string, unknown> {
	const columns = schemas.get(schemaKey(crm, kind));
	if (!columns) throw new Error(`no field schema loaded for ${crm} ${kind}`);
	for (const field of Object.keys(values)) {
		const column = columns.find((entry) => entry.id === field);
		if (!column || !column.display)
			throw new Error(`${crm} ${kind} has no writable standard field "${field}"`);
	}
	const schema: ResourceMapperField[] = columns.map((column) => ({
		...column,
		removed: !(column.id in values),
	}));
	return {
		mappingMode: 'defineBelow',
		value: values,
		matchingColumns: [],
		schema,
		attemptToConvertTypes: false,
		convertFieldsToString: false,
	};
}

export function fieldMerge(
	schemas: FieldSchemas,
	crm: CrmName,
	name: string,
	position: Position,
	spec: FieldMergeSpec,
): NodeSpec {
	const modes = Object.entries(spec.modes ?? {}).map(([field, mode]) => ({ field, mode }));
	const usesPhones =
		spec.matchBy === 'phone' || (spec.matchBy === 'email' && spec.fallbackValue !== undefined);
	return crmNode(crm, name, 'crmContactFieldMerge', position, {
		objectKind: spec.objectKind,
		matchBy: spec.matchBy,
		matchValue: spec.matchValue,
		...(spec.matchBy === 'id' ? {} : { fallBackToOtherKey: spec.fallbackValue !== undefined }),
		...(spec.fallbackValue === undefined ? {} : { fallbackValue: spec.fallbackValue }),
		...(usesPhones ? { defaultCountry: spec.defaultCountry ?? 'US' } : {}),
		fields: mappedFields(schemas, crm, spec.objectKind, spec.values),
		defaultMode: spec.defaultMode,
		updateModes: modes.length ? { modes } : {},
		createIfMissing: spec.createIfMissing,
		...(spec.createAs && (crm === 'salesforce' || crm === 'dynamics')
			? { createAs: spec.createAs }
			: {}),
		...(spec.knownRecordId === undefined ? {} : { knownRecordId: spec.knownRecordId }),
		...(spec.knownRecordObject === undefined || !hasLeads(crm)
			? {}
			: { knownRecordObject: spec.knownRecordObject }),
		...(spec.mapStateAndCountry === undefined
			? {}
			: { mapStateAndCountry: spec.mapStateAndCountry }),
		dryRun: false,
	});
}

/**
 * Sticky-note text for a template that writes to one CRM: how to switch it to another. n8n
 * shows a node's credential slot by its CRM and Authentication values as saved, so these
 * cannot come from an expression (e.g. a Settings field): the change is made in each CRM node,
 * all listed here.
 */
export function switchCrmNote(crmNodes: string[], extra: string[] = []): string {
	return [
		'### Switching to another CRM',
		`Set **CRM** (then **Authentication** and the credential) in each of these ${crmNodes.length} nodes — nothing is deleted or rewired, error outputs, answers and sync logs stay as they are:`,
		...crmNodes.map((node) => `- **${node}**`),
		...extra,
		'',
		"Why not one setting: n8n picks a node's credential from its saved CRM value, so that value cannot come from an expression.",
	].join('\n');
}
