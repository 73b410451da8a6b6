/**
 * Editor drop-downs and field lists before a credential is chosen: n8n calls them as soon as a
 * node is opened, so they answer with what to set up instead of failing the request.
 */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { authParameterOf, credentialTypeFor } from '../descriptions/crmSelector';
import type { CrmName } from '../model';
import { selectedCrm } from '../providers/connect';
import { crmDisplayName, profileOf } from '../providers/profiles';

/**
 * `Set up a HubSpot Private App Token credential to see <what>` when the node has no credential
 * for its CRM and authentication choice; undefined when it has one.
 */
export function missingCredentialNotice(
	ctx: ILoadOptionsFunctions,
	what: string,
	crm: CrmName = selectedCrm(ctx),
): string | undefined {
	const authentication = String(ctx.getNodeParameter(authParameterOf(crm), 0));
	const credentialType = credentialTypeFor(crm, authentication);
	const chosen = ctx.getNode().credentials?.[credentialType];
	if (chosen && (chosen.id || chosen.name)) return undefined;
	const choice = profileOf(crm).authentication.choices.find((c) => c.value === authentication);
	return `Set up a ${crmDisplayName(crm)} ${choice?.name ?? ''} credential to see ${what}`.replace(
		/\s+/g,
		' ',
	);
}

/** The one entry a drop-down shows without a credential; its empty value means "none" to the node. */
export function noticeOption(notice: string): INodePropertyOptions[] {
	return [{ name: notice, value: '' }];
}
