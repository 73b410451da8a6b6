/**
 * The parameters every CRM node starts with: which CRM, how to authenticate, and the
 * credential slots shown for that choice. One definition keeps the editor consistent
 * across nodes and lets `connectProvider` find the right credential.
 */
import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import type { CrmName } from '../model';
import { CREDENTIAL_TEST_NAMES } from '../node/credentialTests';
import { profileOf } from '../providers/profiles';

/** Name of the node's authentication parameter for a CRM. */
export function authParameterOf(crm: CrmName): string {
	return profileOf(crm).authentication.parameter;
}

/** The CRM selector, limited to the CRMs a node supports. */
export function crmParameter(crms: readonly CrmName[]): INodeProperties {
	const [firstCrm] = crms;
	return {
		displayName: 'CRM',
		name: 'crm',
		type: 'options',
		noDataExpression: true,
		options: crms.map((crm) => ({ name: profileOf(crm).selectorLabel, value: crm })),
		default: firstCrm,
		description: 'The CRM to read from and write to',
	};
}

/** One authentication selector per supported CRM, each shown only when that CRM is chosen. */
export function authenticationParameters(crms: readonly CrmName[]): INodeProperties[] {
	return crms.map((crm) => {
		const { parameter, choices } = profileOf(crm).authentication;
		// The first choice is the default: the one most self-hosted installs use.
		const firstValue = choices[0].value;
		return {
			displayName: 'Authentication',
			name: parameter,
			type: 'options',
			noDataExpression: true,
			options: choices.map(({ name, value, description }) => ({ name, value, description })),
			default: firstValue,
			displayOptions: { show: { crm: [crm] } },
		};
	});
}

/**
 * Credential slots: exactly one is shown for each CRM + authentication choice.
 *
 * The conditions are written with `hide` (the other CRMs, the other modes), never `show`:
 * n8n's editor treats every parameter named in a credential's `show` condition as an
 * authentication field, promotes one of them to the "main" one and hides it together with
 * everything it depends on — which hid the CRM selector itself. `hide` selects the same
 * slot at run time and leaves CRM and Authentication as ordinary, visible parameters.
 * Nodes using these slots must offer `crmCredentialTests` as `methods.credentialTest`.
 */
export function crmCredentials(crms: readonly CrmName[]): INodeCredentialDescription[] {
	return crms.flatMap((crm) => {
		const { parameter, choices } = profileOf(crm).authentication;
		return choices.map((choice) => {
			const otherCrms = crms.filter((other) => other !== crm);
			const otherModes = choices
				.map((other) => other.value)
				.filter((mode) => mode !== choice.value);
			const hide: Record<string, string[]> = {};
			if (otherCrms.length > 0) hide.crm = otherCrms;
			if (otherModes.length > 0) hide[parameter] = otherModes;
			const slot: INodeCredentialDescription = { name: choice.credentialType, required: true };
			if (Object.keys(hide).length > 0) slot.displayOptions = { hide };
			// Tested with a fresh token by the node's methods.credentialTest (see credentialTests.ts).
			const testedBy = CREDENTIAL_TEST_NAMES[choice.credentialType];
			if (testedBy) slot.testedBy = testedBy;
			return slot;
		});
	});
}

export function credentialTypeFor(crm: CrmName, authentication: string): string {
	const { displayName, authentication: auth } = profileOf(crm);
	const choice = auth.choices.find((c) => c.value === authentication);
	if (!choice) throw new Error(`unknown authentication "${authentication}" for ${displayName}`);
	return choice.credentialType;
}
