/**
 * Campaign membership as a marketing user changes it: a lead or contact joins a campaign as
 * a CampaignMember row (LeadId or ContactId, by the record's key prefix) and leaves it when
 * the row is deleted. Campaigns and rows are ordinary sObjects, so SOQL reads them as usual.
 */
import type { VendorContext } from '../../core/types';
import { canonicalId, objectTypeOfId, salesforceId } from './ids';

export function changeCampaignMembers(
	ctx: VendorContext,
	campaignId: string,
	change: { add: string[]; remove: string[] },
): string | undefined {
	const campaign = canonicalId(campaignId);
	if (!campaign || !ctx.store.get('salesforce', 'Campaign', campaign))
		return `Salesforce campaign ${campaignId} does not exist`;
	const rows = () =>
		ctx.store
			.list('salesforce', 'CampaignMember')
			.filter((row) => row.fields.CampaignId === campaign);
	for (const raw of change.add) {
		const id = canonicalId(raw);
		const type = id ? objectTypeOfId(id) : undefined;
		if (!id || (type !== 'Lead' && type !== 'Contact') || !ctx.store.get('salesforce', type, id))
			return `no lead or contact ${raw}`;
		const field = type === 'Lead' ? 'LeadId' : 'ContactId';
		if (rows().some((row) => row.fields[field] === id)) continue;
		const rowId = salesforceId('CampaignMember', 1000 + ctx.store.nextSequence('salesforce'));
		ctx.store.insert('salesforce', 'CampaignMember', rowId, {
			CampaignId: campaign,
			[field]: id,
			Status: 'Sent',
		});
	}
	for (const raw of change.remove) {
		const id = canonicalId(raw);
		for (const row of rows())
			if (row.fields.LeadId === id || row.fields.ContactId === id)
				ctx.store.remove('salesforce', 'CampaignMember', row.id);
	}
	return undefined;
}
