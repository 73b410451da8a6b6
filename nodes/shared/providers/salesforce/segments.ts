/**
 * Campaigns for the sync trigger. A campaign's members are CampaignMember rows pointing at a
 * lead (LeadId) or a contact (ContactId; a converted lead's row keeps both, the contact is
 * the member now). Pages are read in CampaignMember Id order with `Id > <last id>`: a key
 * cursor that stays valid between polls, unlike a query locator that expires.
 */
import { soqlLiteral } from '../../logic/escape';
import type { SegmentInfo, SegmentMembersPage, SegmentMembersRequest } from '../CrmProvider';
import type { SalesforceApi } from './api';
import { assertRecordId, isRecordId } from './soql';

const MAX_PAGE = 2000;
const MAX_CAMPAIGNS = 2000;

interface CampaignRow {
	Id: string;
	Name?: string | null;
	Type?: string | null;
	IsActive?: boolean | null;
}

interface MemberRow {
	Id: string;
	LeadId?: string | null;
	ContactId?: string | null;
}

export async function listSegments(api: SalesforceApi): Promise<SegmentInfo[]> {
	const page = await api.queryPage<CampaignRow>(
		`SELECT Id, Name, Type, IsActive FROM Campaign ORDER BY Name LIMIT ${MAX_CAMPAIGNS}`,
	);
	return page.records.map((campaign) => {
		const kind = [campaign.Type, campaign.IsActive === false ? 'inactive' : undefined]
			.filter(Boolean)
			.join(', ');
		return {
			id: campaign.Id,
			name: campaign.Name ?? campaign.Id,
			description: `Campaign ${campaign.Id}${kind ? ` (${kind})` : ''}`,
		};
	});
}

async function assertCampaignExists(api: SalesforceApi, campaignId: string): Promise<void> {
	const found = await api.queryPage<CampaignRow>(
		`SELECT Id FROM Campaign WHERE Id = ${soqlLiteral(campaignId)}`,
	);
	if (found.records.length === 0)
		throw new Error(
			`Salesforce campaign ${campaignId} was not found: it was deleted, or the integration user cannot see it. Choose another campaign.`,
		);
}

export async function listSegmentMembers(
	api: SalesforceApi,
	request: SegmentMembersRequest,
): Promise<SegmentMembersPage> {
	const campaignId = request.segmentId.trim();
	if (!isRecordId(campaignId))
		throw new Error(`Salesforce campaign id "${request.segmentId}" is not a record id`);
	const limit = Math.min(Math.max(1, Math.floor(request.pageSize ?? 100)), MAX_PAGE);
	// The first page of a scan checks the campaign: an unknown one would read as "no members".
	if (request.cursor === undefined) await assertCampaignExists(api, campaignId);
	const after =
		request.cursor === undefined ? '' : ` AND Id > ${soqlLiteral(assertRecordId(request.cursor))}`;
	const page = await api.queryPage<MemberRow>(
		`SELECT Id, LeadId, ContactId FROM CampaignMember WHERE CampaignId = ${soqlLiteral(campaignId)}${after} ORDER BY Id LIMIT ${limit}`,
	);
	const members = page.records.flatMap((row) => {
		if (row.ContactId) return [{ id: row.ContactId, objectType: 'Contact' }];
		if (row.LeadId) return [{ id: row.LeadId, objectType: 'Lead' }];
		return [];
	});
	const last = page.records.at(-1)?.Id;
	return page.records.length === limit && last ? { members, nextCursor: last } : { members };
}
