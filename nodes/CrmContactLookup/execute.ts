/**
 * CRM Contact Lookup: read each item's phone/email, reject unusable ones naming the field,
 * then ONE provider lookup for the whole batch (the provider shares its searches between the
 * items), and answer every item with the best person or `found: false`.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { parseDefaultCountry } from '../shared/descriptions/defaultCountry';
import { MALFORMED_INPUT_STATUS, markFailure } from '../shared/node/failureKind';
import { classifiedNodeError, Outcomes } from '../shared/node/outcomes';
import { chunk } from '../shared/providers/batch';
import { connectProvider, selectedCrm } from '../shared/providers/connect';
import type { PersonLookup } from '../shared/providers/CrmProvider';
import { crmDisplayName, hasLeads, profileOf } from '../shared/providers/profiles';
import { lookupAnswer } from './logic/lookupAnswer';
import { lookupKeyOf, type LookupKey } from './logic/lookupKey';

/** Items per provider call; the provider splits further to fit its API's limits. */
const ITEMS_PER_LOOKUP = 100;

type Pending = { itemIndex: number; key: Extract<LookupKey, { ok: true }> };

/** "a, b ,, c" → ["a", "b", "c"], each once. */
export function fieldList(raw: unknown): string[] {
	if (typeof raw !== 'string') return [];
	return [
		...new Set(
			raw
				.split(',')
				.map((field) => field.trim())
				.filter(Boolean),
		),
	];
}

export async function executeContactLookup(
	this: IExecuteFunctions,
): Promise<INodeExecutionData[][]> {
	const outcomes = new Outcomes(this, 1);
	return await outcomes.settle(async () => await lookUpItems(this, outcomes));
}

async function lookUpItems(ctx: IExecuteFunctions, outcomes: Outcomes): Promise<void> {
	const node = ctx.getNode();
	const crm = selectedCrm(ctx);
	const profile = profileOf(crm);
	const facts = profile.personLookup;
	if (!facts) throw new NodeOperationError(node, `${crmDisplayName(crm)} has no caller lookup`);
	const fields = fieldList(ctx.getNodeParameter('fields', 0, ''));
	const leadFields = hasLeads(crm) ? fieldList(ctx.getNodeParameter('leadFields', 0, '')) : [];
	const maxOpenDeals = facts.openDeals ? (ctx.getNodeParameter('maxOpenDeals', 0, 3) as number) : 0;
	const defaultCountry = parseDefaultCountry(node, ctx.getNodeParameter('defaultCountry', 0, ''));
	const pending: Pending[] = [];

	ctx.getInputData().forEach((item, itemIndex) => {
		const read = outcomes.forItem(itemIndex, item.json, () =>
			lookupKeyOf(
				ctx.getNodeParameter('phone', itemIndex, ''),
				ctx.getNodeParameter('email', itemIndex, ''),
				defaultCountry,
			),
		);
		if (!read) return;
		const key = read.value;
		if (!key.ok) {
			const error = new NodeOperationError(
				node,
				`Item ${itemIndex}: field "${key.field}": ${key.message}`,
				{
					itemIndex,
					description:
						'Give the caller\'s phone number (any format; national numbers need "Default Country for Phone Numbers") or an email address.',
				},
			);
			outcomes.failure(
				itemIndex,
				markFailure(error, {
					failureKind: 'invalid-input',
					field: key.field,
					httpStatus: MALFORMED_INPUT_STATUS,
				}),
				item.json,
			);
			return;
		}
		pending.push({ itemIndex, key });
	});
	if (pending.length === 0) return;

	const { provider } = await connectProvider(ctx, crm);
	const lookupPeople = provider.lookupPeople;
	if (!lookupPeople)
		throw new NodeOperationError(node, `${crmDisplayName(crm)} has no caller lookup`);
	const standard = [
		profile.contactFields.firstName,
		profile.contactFields.lastName,
		profile.contactFields.email,
		...profile.contactFields.phones,
	];
	const asked = {
		fields: [...new Set([...standard, ...fields])],
		leadFields: [...new Set([...standard, ...leadFields])],
	};
	for (const batch of chunk(pending, ITEMS_PER_LOOKUP)) {
		let results: PersonLookup[];
		try {
			results = await lookupPeople.call(
				provider,
				batch.map((p) => p.key.query),
				{ ...asked, maxOpenDeals },
			);
		} catch (error) {
			batch.forEach((p) =>
				outcomes.failure(
					p.itemIndex,
					classifiedNodeError(node, error, p.itemIndex),
					ctx.getInputData()[p.itemIndex].json,
				),
			);
			continue;
		}
		const now = Date.now();
		batch.forEach((p, i) => {
			const answer: IDataObject = lookupAnswer(results[i], {
				source: 'crm',
				crm,
				by: p.key.by,
				value: p.key.value,
				contactFields: profile.contactFields,
				fields: results[i]?.person?.kind === 'lead' ? leadFields : fields,
				...(facts.companyField ? { companyField: facts.companyField } : {}),
				now,
			});
			outcomes.success(p.itemIndex, answer);
		});
	}
}
