/**
 * Campaigns and list views for the sync trigger. A campaign's members are CampaignMember rows
 * pointing at a lead (LeadId) or a contact (ContactId; a converted lead's row keeps both, the
 * contact is the member now). A list view's members are the records its filter selects (see
 * listViewQuery.ts). Pages are read in Id order with `Id > <last id>`: a key cursor that stays
 * valid between polls, unlike a query locator that expires. The two are told apart by the
 * id's key prefix (ListView ids start with 00B).
 */
import { soqlLiteral } from '../../logic/escape';
import type { SegmentInfo, SegmentMembersPage, SegmentMembersRequest } from '../CrmProvider';
import { whenNotFound } from '../notFound';
import type { SalesforceApi } from './api';
import { listViewPageQuery } from './listViewQuery';
import { assertObjectName, assertRecordId, isRecordId } from './soql';

const MAX_PAGE = 2000;
const MAX_CAMPAIGNS = 2000;
const MAX_LIST_VIEWS = 2000;
const LIST_VIEW_PREFIX = '00B';
/** Objects whose records can be campaign members. */
const CAMPAIGN_MEMBER_OBJECTS = ['Lead', 'Contact'];

interface ListViewRow {
	Id: string;
	Name?: string | null;
	DeveloperName?: string | null;
}

interface ListViewDescribe {
	query?: string;
	sobjectType?: string;
}

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

/** Campaigns (for leads and contacts) and the watched object's list views, by name. */
export async function listSegments(api: SalesforceApi, objectType: string): Promise<SegmentInfo[]> {
	const object = assertObjectName(objectType);
	const views = await api.queryPage<ListViewRow>(
		`SELECT Id, Name, DeveloperName FROM ListView WHERE SobjectType = ${soqlLiteral(object)} ORDER BY Name LIMIT ${MAX_LIST_VIEWS}`,
	);
	const listViews = views.records.map((view) => ({
		id: view.Id,
		name: `${view.Name ?? view.DeveloperName ?? view.Id} (list view)`,
		description: `List view ${view.Id} of ${object}`,
	}));
	if (!CAMPAIGN_MEMBER_OBJECTS.includes(object)) return listViews;
	return [...(await listCampaigns(api)), ...listViews];
}

async function listCampaigns(api: SalesforceApi): Promise<SegmentInfo[]> {
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
		throw new Error(
			`Salesforce campaign or list view id "${request.segmentId}" is not a record id`,
		);
	const limit = Math.min(Math.max(1, Math.floor(request.pageSize ?? 100)), MAX_PAGE);
	if (campaignId.startsWith(LIST_VIEW_PREFIX))
		return await listViewMembers(api, campaignId, request, limit);
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

/**
 * One page of a list view's members. The view is described on every page (one more call):
 * its filter may change between polls, and a deleted view must fail, not read as empty.
 */
async function listViewMembers(
	api: SalesforceApi,
	viewId: string,
	request: SegmentMembersRequest,
	limit: number,
): Promise<SegmentMembersPage> {
	const object = assertObjectName(request.objectType);
	const describe = await api
		.get<ListViewDescribe>(
			`/sobjects/${object}/listviews/${viewId}/describe`,
			'GET /sobjects/{object}/listviews/{id}/describe',
		)
		.catch(
			whenNotFound(
				`Salesforce list view ${viewId} of ${object} was not found: it was deleted, belongs to another object, or the integration user cannot see it. Choose another list view.`,
			),
		);
	const page = listViewPageQuery({
		describedQuery: describe.query ?? '',
		objectType: object,
		...(request.cursor === undefined ? {} : { after: assertRecordId(request.cursor) }),
		limit,
	});
	if ('error' in page)
		throw new Error(`Salesforce list view ${viewId} cannot be watched: ${page.error}`);
	const rows = await api.queryPage<{ Id: string }>(page.soql);
	const members = rows.records.map((row) => ({ id: row.Id, objectType: object }));
	const last = rows.records.at(-1)?.Id;
	return rows.records.length === limit && last ? { members, nextCursor: last } : { members };
}
