/**
 * CRM Contact Field Merge: find each item's record (one lookup per batch), plan every mapped
 * field under its update mode (AI merge through the connected model), then write only the
 * changed fields in one upsert call per object type. Every item carries its diff
 * (`crm.fieldChanges`) and a sync-log entry; a record the CRM rejects sends only its items
 * to the error output.
 */
import { DateTime } from 'luxon';
import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INode,
} from 'n8n-workflow';

import type { FieldUpdate } from '../shared/logic/merge';
import type { NeutralValue } from '../shared/logic/fieldValues';
import type { CrmName, FieldChange, ObjectKind, SyncLog } from '../shared/model';
import { connectProvider } from '../shared/providers/connect';
import type { CrmProvider, RecordWrite, WriteResult } from '../shared/providers/CrmProvider';
import { crmLabel } from '../shared/descriptions/crmSelector';
import { Outcomes, type NodeError } from '../shared/node/outcomes';
import { priorLogs, shareCalls, syncLog } from '../shared/node/syncLog';
import { toNodeError } from '../shared/transport/nodeErrors';
import { isChatModel, type ChatModelLike } from './aiMerge';
import { fieldSpecs, objectTypeFor, type MergeFieldSpec } from './fieldSpecs';
import { locateRecords } from './lookup';
import { keyField, parseMatchKey, type MatchKey } from './matchKeys';
import { planItem, RecordStates, type PlanDependencies } from './plan';
import { itemUpdates, readSettings, type MergeSettings } from './settings';
import { wireProperties } from './wireValues';

const UPDATED = 0;
const NO_MATCH = 1;

interface ObjectInfo {
	kind: ObjectKind;
	objectType: string;
	specs: Map<string, MergeFieldSpec>;
}

interface Prepared {
	itemIndex: number;
	json: IDataObject;
	key: MatchKey;
	updates: FieldUpdate[];
}

interface Planned extends Prepared {
	object: ObjectInfo;
	recordId?: string;
	matchCount: number;
	/** No record matched: created when allowed, otherwise sent to No Match. */
	missing: boolean;
	changes: FieldChange[];
	properties: Record<string, NeutralValue>;
	calls: number;
}

class FieldMergeRun {
	private readonly outcomes: Outcomes;
	private readonly node: INode;
	private modelPromise?: Promise<ChatModelLike | undefined>;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly crm: CrmName,
		private readonly provider: CrmProvider,
		private readonly settings: MergeSettings,
	) {
		this.outcomes = new Outcomes(ctx, 2);
		this.node = ctx.getNode();
	}

	async run(): Promise<INodeExecutionData[][]> {
		const target = await this.objectInfo(this.settings.kind);
		const createObject = this.settings.createIfMissing && this.settings.createAs !== this.settings.kind ? await this.objectInfo(this.settings.createAs) : target;
		const prepared = this.prepare();
		const planned = await this.locateAndPlan(prepared, target, createObject);
		if (this.settings.dryRun) this.emitDryRun(planned);
		else await this.write(planned);
		return this.outcomes.result();
	}

	private async objectInfo(kind: ObjectKind): Promise<ObjectInfo> {
		const objectType = objectTypeFor(this.provider.capabilities, kind);
		if (!objectType) throw new NodeOperationError(this.node, `${crmLabel(this.crm)} has no ${kind} object`);
		const description = await this.provider.describeObject(objectType);
		return { kind, objectType, specs: fieldSpecs(description) };
	}

	private prepare(): Prepared[] {
		const prepared: Prepared[] = [];
		this.ctx.getInputData().forEach((item, itemIndex) => {
			const raw = this.ctx.getNodeParameter('matchValue', itemIndex, '');
			const key = parseMatchKey(this.settings.matchBy, raw, this.settings.defaultCountry);
			if (!key.ok) {
				const error = new NodeOperationError(this.node, `Item ${itemIndex}: field "matchValue" (${this.settings.matchBy}) ${key.reason}`, { itemIndex });
				this.fail(itemIndex, item.json, error, [], 0);
				return;
			}
			let updates: FieldUpdate[];
			try {
				updates = itemUpdates(this.ctx, itemIndex, this.settings);
			} catch (error) {
				// e.g. an expression in the field mapping that fails for this item only.
				this.fail(itemIndex, item.json, toNodeError(this.node, error, itemIndex), [], 0);
				return;
			}
			prepared.push({ itemIndex, json: item.json, key: key.key, updates });
		});
		return prepared;
	}

	private model(): Promise<ChatModelLike | undefined> {
		this.modelPromise ??= this.ctx.getInputConnectionData(NodeConnectionTypes.AiLanguageModel, 0).then((value) => (isChatModel(value) ? value : undefined));
		return this.modelPromise;
	}

	private async locateAndPlan(prepared: Prepared[], target: ObjectInfo, createObject: ObjectInfo): Promise<Planned[]> {
		if (!prepared.length) return [];
		const fields = [...new Set(prepared.flatMap((p) => p.updates.map((u) => u.field)))].filter((field) => target.specs.has(field));
		const before = this.provider.usage().calls;
		let located;
		try {
			located = await locateRecords(this.provider, target.objectType, target.kind, prepared.map((p) => p.key), fields);
		} catch (error) {
			const calls = shareCalls(this.provider.usage().calls - before, prepared.length);
			prepared.forEach((p, i) => this.fail(p.itemIndex, p.json, toNodeError(this.node, error, p.itemIndex), [], calls[i]));
			return [];
		}
		const lookupCalls = shareCalls(this.provider.usage().calls - before, prepared.length);
		const deps: PlanDependencies = { context: { today: DateTime.now().setZone(this.ctx.getTimezone()).toISODate() ?? '', zone: this.ctx.getTimezone() }, model: () => this.model() };
		const states = new RecordStates();
		const planned: Planned[] = [];
		for (const [index, p] of prepared.entries()) {
			const record = located[index]?.record;
			const creating = !record && this.settings.createIfMissing && p.key.by !== 'id';
			const object = record ? target : creating ? createObject : target;
			const current = record ? states.current(record.id, record.properties) : undefined;
			const updates = creating ? this.withKeyField(p, object) : p.updates;
			const outcome = await planItem(updates, { ...object, recordId: record?.id, current }, deps);
			if (!outcome.ok) {
				const error = new NodeOperationError(this.node, `Item ${p.itemIndex}: field "${outcome.field}": ${outcome.reason}`, { itemIndex: p.itemIndex });
				this.fail(p.itemIndex, p.json, error, outcome.changes, lookupCalls[index]);
				continue;
			}
			if (record && current) states.apply(record.id, current, outcome.properties);
			planned.push({ ...p, updates, object, recordId: record?.id, matchCount: located[index]?.matchCount ?? 0, missing: !record, changes: outcome.changes, properties: outcome.properties, calls: lookupCalls[index] });
		}
		return planned;
	}

	/** A new record keeps the phone/email it was looked up by, unless the mapping sets it. */
	private withKeyField(p: Prepared, object: ObjectInfo): FieldUpdate[] {
		const field = keyField(this.crm, p.key);
		if (!field || !object.specs.has(field) || p.updates.some((u) => u.field === field)) return p.updates;
		return [...p.updates, { field, value: p.key.value, mode: 'fillIfEmpty' }];
	}

	private operation(p: Planned, created: boolean): string {
		return `${created ? 'create' : 'update'}-${p.object.kind}`;
	}

	private emitDryRun(planned: Planned[]): void {
		for (const p of planned) {
			const count = Object.keys(p.properties).length;
			if (p.missing) {
				const reason = `dry run: no matching ${this.settings.kind}${this.settings.createIfMissing && p.key.by !== 'id' ? `; would create a ${p.object.kind} with ${count} field(s)` : ''}`;
				this.succeed(p, NO_MATCH, syncLog(this.crm, this.operation(p, true), 'skipped', { reason, apiCalls: p.calls, target: { type: p.object.kind } }), { dryRun: true });
			} else {
				const reason = `dry run: ${count} field(s) would change`;
				this.succeed(p, UPDATED, syncLog(this.crm, this.operation(p, false), 'skipped', { reason, apiCalls: p.calls, target: { type: p.object.kind, id: p.recordId } }), { dryRun: true });
			}
		}
	}

	private async write(planned: Planned[]): Promise<void> {
		// One write per record (items on the same record share it) and per new key.
		const groups = new Map<string, { objectType: string; write: RecordWrite; items: Planned[] }>();
		for (const p of planned) {
			if (p.missing && !(this.settings.createIfMissing && p.key.by !== 'id')) {
				const reason = p.key.by === 'id' ? `no ${this.settings.kind} has this id` : `no matching ${this.settings.kind}`;
				this.succeed(p, NO_MATCH, syncLog(this.crm, this.operation(p, true), 'skipped', { reason, apiCalls: p.calls, target: { type: p.object.kind } }), {});
				continue;
			}
			const groupKey = p.recordId ? `update:${p.recordId}` : `create:${p.object.objectType}:${p.key.value}`;
			const group = groups.get(groupKey) ?? { objectType: p.object.objectType, write: p.recordId ? { id: p.recordId, properties: {} } : { properties: {} }, items: [] };
			Object.assign(group.write.properties, wireProperties(this.crm, p.object.specs, p.properties));
			group.items.push(p);
			groups.set(groupKey, group);
		}
		const byType = new Map<string, Array<{ write: RecordWrite; items: Planned[] }>>();
		for (const group of groups.values()) {
			if (Object.keys(group.write.properties).length === 0) {
				for (const p of group.items) this.succeed(p, UPDATED, syncLog(this.crm, this.operation(p, false), 'skipped', { reason: 'no field changed', apiCalls: p.calls, target: { type: p.object.kind, id: p.recordId } }), {});
				continue;
			}
			const list = byType.get(group.objectType) ?? [];
			list.push(group);
			byType.set(group.objectType, list);
		}
		for (const [objectType, list] of byType) await this.writeObjectType(objectType, list);
	}

	private async writeObjectType(objectType: string, list: Array<{ write: RecordWrite; items: Planned[] }>): Promise<void> {
		const before = this.provider.usage().calls;
		let results: WriteResult[];
		const owners = list.flatMap((group) => group.items);
		try {
			results = await this.provider.upsertRecords(objectType, list.map((group) => group.write));
		} catch (error) {
			const calls = shareCalls(this.provider.usage().calls - before, owners.length);
			owners.forEach((p, i) => this.fail(p.itemIndex, p.json, toNodeError(this.node, error, p.itemIndex), p.changes, p.calls + calls[i], this.operation(p, !p.recordId)));
			return;
		}
		const calls = shareCalls(this.provider.usage().calls - before, owners.length);
		let owner = 0;
		list.forEach((group, index) => {
			const result = results[index] ?? { ok: false, error: { message: 'the CRM returned no result for this record' } };
			for (const p of group.items) {
				const apiCalls = p.calls + calls[owner++];
				if (result.ok) {
					const created = result.created || !p.recordId;
					const operation = this.operation(p, created);
					const reason = `${Object.keys(p.properties).length} field(s) written`;
					this.succeed(p, UPDATED, syncLog(this.crm, operation, 'success', { reason, apiCalls, target: { type: p.object.kind, id: result.id } }), { recordId: result.id, created });
				} else {
					const code = result.error.code ? ` (${result.error.code})` : '';
					const message = `Item ${p.itemIndex}: ${crmLabel(this.crm)} rejected the ${p.object.kind} ${p.recordId ? 'update' : 'create'}: ${result.error.message}${code}`;
					const error = new NodeOperationError(this.node, message, { itemIndex: p.itemIndex });
					this.fail(p.itemIndex, p.json, error, p.changes, apiCalls, this.operation(p, !p.recordId), p.recordId);
				}
			}
		});
	}

	private crmSection(json: IDataObject, extra: IDataObject): IDataObject {
		const prior = typeof json.crm === 'object' && json.crm !== null && !Array.isArray(json.crm) ? (json.crm as IDataObject) : {};
		return { ...prior, provider: this.crm, ...extra };
	}

	private succeed(p: Planned, output: number, log: SyncLog, extra: { recordId?: string; created?: boolean; dryRun?: boolean }): void {
		const record: IDataObject = { objectType: p.object.objectType, kind: p.object.kind, matched: !p.missing, matchCount: p.matchCount };
		const id = extra.recordId ?? p.recordId;
		if (id) record.id = id;
		if (extra.created !== undefined) record.created = extra.created;
		const crm = this.crmSection(p.json, { record, dryRun: extra.dryRun === true, fieldChanges: p.changes as unknown as IDataObject[] });
		this.outcomes.success(p.itemIndex, { ...p.json, crm, syncLog: [...priorLogs(p.json), log] as unknown as IDataObject[] }, output);
	}

	private fail(itemIndex: number, json: IDataObject, error: NodeError, changes: FieldChange[], apiCalls: number, operation = `update-${this.settings.kind}`, recordId?: string): void {
		const log = syncLog(this.crm, operation, 'failed', { reason: error.message, apiCalls, target: { type: this.settings.kind, ...(recordId ? { id: recordId } : {}) } });
		const crm = this.crmSection(json, { dryRun: this.settings.dryRun, fieldChanges: changes as unknown as IDataObject[] });
		this.outcomes.failure(itemIndex, error, { ...json, crm, syncLog: [...priorLogs(json), log] as unknown as IDataObject[] });
	}
}

export async function executeFieldMerge(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const settings = readSettings(this);
	const { crm, provider } = await connectProvider(this);
	return await new FieldMergeRun(this, crm, provider, settings).run();
}
