/** The node's parameters read once per execution (per-item values are read in execute). */
import type { CountryCode } from 'libphonenumber-js';
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type ResourceMapperValue,
} from 'n8n-workflow';

import { parseDefaultCountry } from '../shared/descriptions/defaultCountry';
import type { FieldUpdate } from './logic/merge';
import { UPDATE_MODES, type ObjectKind, type UpdateMode } from '../shared/model';
import { selectedCrm } from '../shared/providers/connect';
import { hasLeads, profileOf } from '../shared/providers/profiles';
import type { AddressFacts } from '../shared/providers/profile';
import type { MatchBy } from './matchKeys';
import { batchParameter } from '../shared/node/batchParameter';

export interface MergeSettings {
	kind: ObjectKind;
	matchBy: MatchBy;
	defaultCountry?: CountryCode;
	defaultMode: UpdateMode;
	modes: Map<string, UpdateMode>;
	/** Use the other person key when the item has no usable value for Match By. */
	fallBack: boolean;
	createIfMissing: boolean;
	createAs: ObjectKind;
	/** The CRM has a lead object next to contacts (Salesforce, Dynamics). */
	hasLeads: boolean;
	dryRun: boolean;
	/**
	 * The CRM's address facts when Map State & Country (to Codes, or to Names) is on;
	 * undefined when off.
	 */
	addressValues?: AddressFacts;
}

function updateMode(ctx: IExecuteFunctions, value: unknown): UpdateMode {
	if ((UPDATE_MODES as readonly unknown[]).includes(value)) return value as UpdateMode;
	throw new NodeOperationError(ctx.getNode(), `Unknown update mode "${String(value)}"`);
}

export function readSettings(ctx: IExecuteFunctions): MergeSettings {
	const crm = selectedCrm(ctx);
	const kind = ctx.getNodeParameter('objectKind', 0, 'contact') as ObjectKind;
	const rows =
		batchParameter<Array<{ field?: string; mode?: string }> | undefined>(
			ctx,
			'updateModes.modes',
			'Update Modes',
			[],
		) ?? [];
	const modes = new Map<string, UpdateMode>();
	for (const row of rows)
		if (row.field) modes.set(row.field, updateMode(ctx, row.mode ?? 'overwrite'));
	const matchBy = ctx.getNodeParameter('matchBy', 0, 'phone') as MatchBy;
	const fallBack =
		matchBy !== 'id' && (ctx.getNodeParameter('fallBackToOtherKey', 0, true) as boolean);
	const usesPhones = matchBy === 'phone' || (matchBy === 'email' && fallBack);
	const defaultCountry = usesPhones
		? parseDefaultCountry(ctx.getNode(), ctx.getNodeParameter('defaultCountry', 0, ''))
		: undefined;
	const createIfMissing = ctx.getNodeParameter('createIfMissing', 0, false) as boolean;
	const leads = hasLeads(crm);
	const address = profileOf(crm).address;
	const mapAddresses =
		address !== undefined && (ctx.getNodeParameter('mapStateAndCountry', 0, false) as boolean);
	return {
		kind,
		matchBy,
		defaultCountry,
		defaultMode: updateMode(ctx, ctx.getNodeParameter('defaultMode', 0, 'overwrite')),
		modes,
		fallBack,
		createIfMissing,
		hasLeads: leads,
		createAs:
			createIfMissing && leads ? (ctx.getNodeParameter('createAs', 0, 'lead') as ObjectKind) : kind,
		dryRun: ctx.getNodeParameter('dryRun', 0, false) as boolean,
		addressValues: mapAddresses ? address : undefined,
	};
}

/**
 * The item's mapped values as field updates. The whole resource-mapper parameter is read
 * (not `fields.value`) so n8n does not reject the item on one bad value: the merge checks
 * each value against the CRM's own field description and rejects only that field.
 */
export function itemUpdates(
	ctx: IExecuteFunctions,
	itemIndex: number,
	settings: MergeSettings,
): FieldUpdate[] {
	const mapper = ctx.getNodeParameter('fields', itemIndex, {
		value: null,
	}) as Partial<ResourceMapperValue>;
	const values = (mapper.value ?? {}) as IDataObject;
	return Object.entries(values).map(([field, value]) => ({
		field,
		value,
		mode: settings.modes.get(field) ?? settings.defaultMode,
	}));
}
