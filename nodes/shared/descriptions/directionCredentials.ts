/**
 * Nodes with a "Direction" parameter (source → target CRM pairs): one authentication choice per
 * CRM and one credential slot per CRM and authentication, each shown only for the directions
 * that involve that CRM (n8n's display conditions are per parameter, hence one direction value
 * per pair).
 */
import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import type { CrmName } from '../model';
import { CREDENTIAL_TEST_NAMES } from '../node/credentialTests';
import { profileOf } from '../providers/profiles';

export interface DirectionCrms {
	crms: readonly CrmName[];
	/** Every direction value of the node. */
	directions: readonly string[];
	/** The direction values a CRM's credential is needed for. */
	directionsOf: (crm: CrmName) => string[];
}

/** One authentication choice per CRM, shown whenever a direction involves it. */
export function directionAuthentication(config: DirectionCrms): INodeProperties[] {
	return config.crms.map((crm) => {
		const { parameter, choices } = profileOf(crm).authentication;
		const firstValue = choices[0].value;
		return {
			displayName: `${profileOf(crm).displayName} Authentication`,
			name: parameter,
			type: 'options',
			noDataExpression: true,
			options: choices.map(({ name, value, description }) => ({ name, value, description })),
			default: firstValue,
			displayOptions: { show: { direction: config.directionsOf(crm) } },
		};
	});
}

/** Credential slots, one per CRM + authentication, hidden unless the direction involves the CRM. */
export function directionCredentials(config: DirectionCrms): INodeCredentialDescription[] {
	return config.crms.flatMap((crm) => {
		const { parameter, choices } = profileOf(crm).authentication;
		const involved = new Set(config.directionsOf(crm));
		return choices.map((choice) => {
			const hide: Record<string, string[]> = {
				direction: config.directions.filter((d) => !involved.has(d)),
			};
			const otherModes = choices.map((c) => c.value).filter((mode) => mode !== choice.value);
			if (otherModes.length > 0) hide[parameter] = otherModes;
			const slot: INodeCredentialDescription = {
				name: choice.credentialType,
				required: true,
				displayOptions: { hide },
			};
			const testedBy = CREDENTIAL_TEST_NAMES[choice.credentialType];
			if (testedBy) slot.testedBy = testedBy;
			return slot;
		});
	});
}
