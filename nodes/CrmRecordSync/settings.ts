/** The node's run-wide settings, read once (they cannot differ per item). */
import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import type { ObjectKind } from '../shared/model';
import { profileOf } from '../shared/providers/profiles';
import { directionOf, type Direction } from './directions';
import { DELETION_MODES, type DeletionMode } from './logic/deletions';
import type { CreateMode } from './logic/identity';
import { isSyncRule, type SyncRule } from './logic/syncRules';
import { checkCapPercent } from '../shared/logic/apiBudget';
import { batchParameter } from '../shared/node/batchParameter';

export interface FieldMapping {
	sourceField: string;
	targetField: string;
	rule: SyncRule;
}

export interface RecordSyncSettings {
	direction: Direction;
	kind: ObjectKind;
	mappings: FieldMapping[];
	create: CreateMode;
	newPersonKind: ObjectKind;
	dryRun: boolean;
	/** What a deleted source record (`event: 'deleted'`) does to its linked counterpart. */
	deletions: DeletionMode;
	/** States and countries converted to the target field's form (ISO code or name). */
	stateCountryCodes: boolean;
	/** Share (1–100) of the target CRM's daily API limit the run may use up to; absent = no cap. */
	dailyApiCap?: number;
}

const CREATE_MODES: CreateMode[] = ['never', 'always', 'ifEligible'];

export function readSettings(ctx: IExecuteFunctions): RecordSyncSettings {
	const node = ctx.getNode();
	const direction = directionOf(ctx.getNodeParameter('direction', 0));
	if (!direction) throw new NodeOperationError(node, 'Choose a direction (source → target CRM)');
	const kind = ctx.getNodeParameter('objectKind', 0) as ObjectKind;
	for (const crm of [direction.source, direction.target])
		if (!profileOf(crm).objects[kind])
			throw new NodeOperationError(
				node,
				`${profileOf(crm).displayName} has no ${kind} object to sync`,
			);
	const raw = ctx.getNodeParameter('mappings', 0, {}) as {
		mapping?: Array<{ sourceField?: unknown; targetField?: unknown; rule?: unknown }>;
	};
	const mappings = (raw.mapping ?? []).map((entry, index) => {
		const sourceField = typeof entry.sourceField === 'string' ? entry.sourceField.trim() : '';
		const targetField = typeof entry.targetField === 'string' ? entry.targetField.trim() : '';
		if (!sourceField || !targetField)
			throw new NodeOperationError(
				node,
				`Field mapping ${index + 1} needs a source and a target field`,
			);
		const rule = entry.rule ?? 'twoWay';
		if (!isSyncRule(rule))
			throw new NodeOperationError(
				node,
				`Field mapping ${index + 1}: unknown sync rule "${String(rule)}"`,
			);
		return { sourceField, targetField, rule };
	});
	const seen = new Set<string>();
	for (const mapping of mappings) {
		if (seen.has(mapping.targetField))
			throw new NodeOperationError(
				node,
				`The target field "${mapping.targetField}" is mapped twice: each target field takes one source field`,
			);
		seen.add(mapping.targetField);
	}
	// These three may come from a Settings node by expression: one value for the whole run.
	const create = batchParameter<CreateMode>(
		ctx,
		'createRecords',
		'Create Records in the Target',
		'ifEligible',
	);
	if (!CREATE_MODES.includes(create))
		throw new NodeOperationError(node, `unknown "Create Records in the Target" choice "${create}"`);
	const hasLeads = profileOf(direction.target).objects.lead !== undefined;
	const newPersonKind =
		hasLeads && kind === 'contact'
			? batchParameter<ObjectKind>(ctx, 'newPersonKind', 'Default Object for New People', 'lead')
			: kind;
	if (!['lead', 'contact', kind].includes(newPersonKind))
		throw new NodeOperationError(
			node,
			`"Default Object for New People" must be lead or contact, got ${JSON.stringify(newPersonKind)}`,
		);
	const capValue = batchParameter<unknown>(ctx, 'dailyApiCapPercent', 'Daily API Cap (%)', 0);
	let dailyApiCap: number | undefined;
	if (capValue !== 0) {
		const checked = checkCapPercent(capValue);
		if (!checked.ok) throw new NodeOperationError(node, `Daily API Cap (%) ${checked.problem}`);
		dailyApiCap = checked.cap;
	}
	const deletions = batchParameter<DeletionMode>(ctx, 'deletions', 'Deletions', 'ignore');
	if (!DELETION_MODES.includes(deletions))
		throw new NodeOperationError(node, `unknown "Deletions" choice "${String(deletions)}"`);
	return {
		direction,
		kind,
		mappings,
		create,
		newPersonKind,
		dryRun: ctx.getNodeParameter('dryRun', 0, false) as boolean,
		deletions,
		stateCountryCodes:
			batchParameter<unknown>(ctx, 'stateCountryCodes', 'State and Country Picklists', false) ===
			true,
		...(dailyApiCap === undefined ? {} : { dailyApiCap }),
	};
}
