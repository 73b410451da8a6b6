/**
 * The field map for one poll. A CRM's standard do-not-call field (Salesforce DoNotCall,
 * Dynamics donotphone) can still be missing for the integration user (field-level
 * security, a trimmed schema); asking for it would fail the whole poll. So the default
 * is checked against the object description (cached, so about one call per 15 minutes)
 * and dropped when absent, which makes doNotCall null. A field the user named is trusted:
 * a typo there should fail loudly.
 */
import { contactFieldMap, type ContactFieldMap } from './logic/contactNormalize';
import type { CrmName } from '../shared/model';
import type { CrmProvider } from '../shared/providers/CrmProvider';

export async function fieldMapFor(
	provider: CrmProvider,
	crm: CrmName,
	objectType: string,
	chosenDoNotCallField: string | undefined,
): Promise<ContactFieldMap> {
	const map = contactFieldMap(crm, chosenDoNotCallField);
	if (chosenDoNotCallField || !map.doNotCall) return map;
	const description = await provider.describeObject(objectType);
	const wanted = map.doNotCall.toLowerCase();
	const present = description.fields.some((field) => field.name.toLowerCase() === wanted);
	return present ? map : { ...map, doNotCall: undefined };
}
