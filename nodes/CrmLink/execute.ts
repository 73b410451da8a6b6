/**
 * CRM Link: validate each conversation, derive its lookup keys, run ONE provider search for
 * the whole batch of items, then split the items into "matched" and "no match".
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { hasKeys, linkKeysFor } from '../shared/logic/linkKeys';
import { emptyMatchSet, type MatchSet, type ObjectKind } from '../shared/model';
import { chunk } from '../shared/providers/batch';
import { connectProvider, selectedCrm } from '../shared/providers/connect';
import type { MatchQuery, PhoneMatching } from '../shared/providers/CrmProvider';
import { readConversationLimits } from '../shared/descriptions/conversationLimits';
import { parseDefaultCountry } from '../shared/descriptions/defaultCountry';
import { parseConversation } from '../shared/node/conversations';
import { classifiedNodeError, Outcomes } from '../shared/node/outcomes';
import { priorLogs, shareCalls, syncLog } from '../shared/node/syncLog';

const MATCHED = 0;
const NO_MATCH = 1;
/** Items per provider call; the provider splits further to fit its API's search limits. */
const ITEMS_PER_SEARCH = 100;

interface Pending {
	itemIndex: number;
	json: IDataObject;
	query: MatchQuery;
	warnings: string[];
}

function onlyKinds(matches: MatchSet, kinds: ObjectKind[]): MatchSet {
	const kept = emptyMatchSet();
	for (const kind of kinds) kept[kind] = matches[kind];
	return kept;
}

export async function executeCrmLink(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const outcomes = new Outcomes(this, 2);
	return await outcomes.settle(async () => await linkItems(this, outcomes));
}

async function linkItems(ctx: IExecuteFunctions, outcomes: Outcomes): Promise<void> {
	const items = ctx.getInputData();
	const node = ctx.getNode();
	const kinds = ctx.getNodeParameter('objectTypes', 0, []) as ObjectKind[];
	const matchBy = ctx.getNodeParameter('matchBy', 0, ['phone', 'email', 'domain']) as string[];
	const openDealsOnly = ctx.getNodeParameter('openDealsOnly', 0, true) as boolean;
	const maxPerKind = ctx.getNodeParameter('maxPerType', 0, 10) as number;
	const phoneMatching: PhoneMatching =
		ctx.getNodeParameter('phoneMatching', 0, 'query') === 'searchIndex' ? 'searchIndex' : 'query';
	const defaultCountry = parseDefaultCountry(node, ctx.getNodeParameter('defaultCountry', 0, ''));

	const limits = readConversationLimits(ctx);
	const crm = selectedCrm(ctx);
	const pending: Pending[] = [];

	items.forEach((item, itemIndex) => {
		const parsed = parseConversation(node, item.json, itemIndex, limits);
		if (!parsed.ok) {
			outcomes.failure(itemIndex, parsed.error, item.json);
			return;
		}
		const { query, warnings } = linkKeysFor(parsed.conversation.participants, {
			defaultCountry,
			usePhones: matchBy.includes('phone'),
			useEmails: matchBy.includes('email'),
			useDomains: matchBy.includes('domain'),
		});
		if (!hasKeys(query)) {
			const reason = [
				'no external participant has a usable phone number or email address',
				...warnings,
			].join('; ');
			outcomes.success(
				itemIndex,
				{
					...item.json,
					crm: { provider: crm, matches: emptyMatchSet(), linkedKinds: kinds, warnings },
					syncLog: [...priorLogs(item.json), syncLog(crm, 'link', 'skipped', { reason })],
				},
				NO_MATCH,
			);
			return;
		}
		pending.push({ itemIndex, json: item.json, query, warnings });
	});

	if (pending.length === 0) return;
	// Connected only when some item needs a search: rejected items cost no CRM call.
	const { provider } = await connectProvider(ctx, crm);
	for (const batch of chunk(pending, ITEMS_PER_SEARCH)) {
		const callsBefore = provider.usage().calls;
		let results: MatchSet[];
		try {
			results = await provider.findMatches(
				batch.map((p) => p.query),
				{ kinds, openDealsOnly, maxPerKind, phoneMatching },
			);
		} catch (error) {
			const calls = shareCalls(provider.usage().calls - callsBefore, batch.length);
			batch.forEach((p, i) => {
				const nodeError = classifiedNodeError(node, error, p.itemIndex);
				outcomes.failure(p.itemIndex, nodeError, {
					...p.json,
					syncLog: [
						...priorLogs(p.json),
						syncLog(crm, 'link', 'failed', { reason: nodeError.message, apiCalls: calls[i] }),
					],
				});
			});
			continue;
		}
		const calls = shareCalls(provider.usage().calls - callsBefore, batch.length);
		batch.forEach((p, i) => {
			const matches = onlyKinds(results[i] ?? emptyMatchSet(), kinds);
			const found = kinds.filter((kind) => matches[kind].length > 0);
			const log = found.length
				? syncLog(crm, 'link', 'success', {
						reason: `matched ${found.map((k) => `${matches[k].length} ${k}`).join(', ')}`,
						apiCalls: calls[i],
					})
				: syncLog(crm, 'link', 'skipped', { reason: 'no CRM record matched', apiCalls: calls[i] });
			outcomes.success(
				p.itemIndex,
				{
					...p.json,
					crm: { provider: crm, matches, linkedKinds: kinds, warnings: p.warnings },
					syncLog: [...priorLogs(p.json), log],
				},
				found.length ? MATCHED : NO_MATCH,
			);
		});
	}
}
