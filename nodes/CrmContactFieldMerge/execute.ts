/**
 * CRM Contact Field Merge: find each item's record (one lookup per batch, as contact and
 * lead at once where a create may follow), plan every mapped field under its update mode
 * (AI merge through the connected model), then write only the changed fields in one upsert
 * call per object type. Every item carries its diff (`crm.fieldChanges`), the key it was
 * matched by and a sync-log entry; a record the CRM rejects sends only its items to the
 * error output.
 *
 * Creating is guarded so a person gets one record: the batch's person keys are locked for
 * the whole run (other executions for the same person wait, then find the record), items of
 * one batch with the same key share one create, and created ids are remembered for CRMs
 * whose search index lags.
 */
import { DateTime } from 'luxon';
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INode,
} from 'n8n-workflow';

import type { FieldUpdate } from './logic/merge';
import type { CrmName, FieldChange, ObjectKind, SyncLog } from '../shared/model';
import { connectProvider } from '../shared/providers/connect';
import { crmDisplayName } from '../shared/providers/profiles';
import type { CrmProvider, WriteResult } from '../shared/providers/CrmProvider';
import { markFailure, writeFailureMarks } from '../shared/node/failureKind';
import { withKeyedLocks, type KeyedLock } from '../shared/node/keyedLock';
import { Outcomes, runItemStep, type NodeError } from '../shared/node/outcomes';
import { priorLogs, shareCalls, syncLog } from '../shared/node/syncLog';
import { toNodeError } from '../shared/transport/nodeErrors';
import { askChatModel, connectedChatModel } from '../shared/ai/chatModel';
import { aiMergePrompt, type AiMerger } from './aiMerge';
import { convertAddressUpdates } from './logic/addressValues';
import { processCreatedRecords, type CreatedRecordMemory } from './createdRecords';
import { fieldSpecs, objectTypeFor } from './fieldSpecs';
import { locateRecords, type LookupObject } from './lookup';
import { parseKnownRecord, type KnownRecordInput } from './logic/knownRecord';
import { translatePersonUpdates } from './logic/personFieldEquivalents';
import { chooseMatchKey, identityKey, keyField, lookupKinds } from './matchKeys';
import { planItem, RecordStates, type PlanDependencies } from './plan';
import { itemUpdates, readSettings, type MergeSettings } from './settings';
import {
	groupWrites,
	type ObjectInfo,
	type Planned,
	type Prepared,
	type WriteGroup,
} from './writeGroups';

const UPDATED = 0;
const NO_MATCH = 1;

export interface IdentityGuards {
	lock: KeyedLock;
	memory: CreatedRecordMemory;
}

const PROCESS_GUARDS: IdentityGuards = { lock: { withKeyedLocks }, memory: processCreatedRecords };

class FieldMergeRun {
	private readonly outcomes: Outcomes;
	private readonly node: INode;
	private mergerPromise?: Promise<AiMerger | undefined>;
	private readonly objects = new Map<ObjectKind, ObjectInfo>();

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly crm: CrmName,
		private readonly provider: CrmProvider,
		private readonly settings: MergeSettings,
		/** The CRM account the identities belong to. */
		private readonly scope: string,
		private readonly guards: IdentityGuards,
	) {
		this.outcomes = new Outcomes(ctx, 2);
		this.node = ctx.getNode();
	}

	async run(): Promise<INodeExecutionData[][]> {
		const { kind, createAs, createIfMissing, hasLeads, dryRun } = this.settings;
		for (const k of [...lookupKinds(kind, createAs, hasLeads, createIfMissing), createAs])
			await this.objectInfo(k);
		const prepared = this.prepare();
		// Only a run that may create needs to keep other executions for the same person waiting.
		const identities =
			createIfMissing && !dryRun ? prepared.flatMap((p) => (p.identity ? [p.identity] : [])) : [];
		await this.guards.lock.withKeyedLocks(identities, async () => {
			const planned = await this.locateAndPlan(prepared);
			if (dryRun) this.emitDryRun(planned);
			else await this.write(planned);
		});
		return this.outcomes.result();
	}

	private async objectInfo(kind: ObjectKind): Promise<ObjectInfo> {
		const known = this.objects.get(kind);
		if (known) return known;
		const objectType = objectTypeFor(this.provider.profile, kind);
		if (!objectType)
			throw new NodeOperationError(this.node, `${crmDisplayName(this.crm)} has no ${kind} object`);
		const description = await this.provider.describeObject(objectType);
		const info = { kind, objectType, specs: fieldSpecs(description) };
		this.objects.set(kind, info);
		return info;
	}

	private object(kind: ObjectKind): ObjectInfo {
		const info = this.objects.get(kind);
		if (!info)
			throw new NodeOperationError(this.node, `${crmDisplayName(this.crm)} has no ${kind} object`);
		return info;
	}

	private prepare(): Prepared[] {
		const prepared: Prepared[] = [];
		const { matchBy, fallBack, defaultCountry, kind, createAs, hasLeads, createIfMissing } =
			this.settings;
		const knownObjects = lookupKinds(kind, createAs, hasLeads, createIfMissing).map((k) => ({
			kind: k,
			objectType: this.object(k).objectType,
		}));
		this.ctx.getInputData().forEach((item, itemIndex) => {
			// Match values and field mappings are per-item expressions: one that fails fails its item only.
			const read = runItemStep(this.node, itemIndex, () => {
				const raw = this.ctx.getNodeParameter('matchValue', itemIndex, '');
				const fallback = fallBack
					? { raw: this.ctx.getNodeParameter('fallbackValue', itemIndex, '') }
					: undefined;
				const chosen = chooseMatchKey({ by: matchBy, raw, fallback, defaultCountry });
				if (!chosen.ok)
					throw new NodeOperationError(this.node, `Item ${itemIndex}: ${chosen.reason}`, {
						itemIndex,
					});
				const known: KnownRecordInput =
					matchBy === 'id'
						? { ok: true }
						: parseKnownRecord(
								this.ctx.getNodeParameter('knownRecordId', itemIndex, ''),
								this.ctx.getNodeParameter('knownRecordObject', itemIndex, ''),
								knownObjects,
								this.provider.profile.recordIds,
							);
				if (!known.ok)
					throw new NodeOperationError(
						this.node,
						`Item ${itemIndex}: field "${known.field}": ${known.reason}`,
						{ itemIndex },
					);
				return {
					chosen,
					known: known.ref,
					updates: itemUpdates(this.ctx, itemIndex, this.settings),
				};
			});
			if (!read.ok) {
				this.fail(itemIndex, item.json, read.error, [], 0);
				return;
			}
			const { chosen, known, updates } = read.value;
			const key = chosen.key;
			prepared.push({
				itemIndex,
				json: item.json,
				key,
				known,
				fallbackReason: chosen.fallback ? chosen.primaryReason : undefined,
				identity: key.by === 'id' ? undefined : identityKey(this.scope, key),
				updates,
			});
		});
		return prepared;
	}

	/** The connected chat model as a field merger, looked up once on first need. */
	private aiMerger(): Promise<AiMerger | undefined> {
		this.mergerPromise ??= connectedChatModel(this.ctx).then((model) =>
			model
				? async (request, fieldLabel) =>
						await askChatModel(this.ctx, model, aiMergePrompt(request, fieldLabel))
				: undefined,
		);
		return this.mergerPromise;
	}

	private canCreate(p: Prepared): boolean {
		return this.settings.createIfMissing && p.identity !== undefined;
	}

	private lookupObjects(prepared: Prepared[]): LookupObject[] {
		const { kind, createAs, hasLeads, createIfMissing } = this.settings;
		const byId = prepared[0]?.key.by === 'id';
		const kinds = byId ? [kind] : lookupKinds(kind, createAs, hasLeads, createIfMissing);
		const mapped = [...new Set(prepared.flatMap((p) => p.updates.map((u) => u.field)))];
		return kinds.map((k) => {
			const info = this.object(k);
			// With address mapping, the code/name fields are read too: their current values are
			// the diff's "before" and give a mapped state its country.
			const addressFields = (this.settings.addressValues?.fields[k] ?? []).flatMap((address) =>
				[address.country, address.state, address.countryCode, address.stateCode].filter(
					(field): field is string => field !== undefined,
				),
			);
			return {
				kind: k,
				objectType: info.objectType,
				properties: [...new Set([...mapped, ...addressFields])].filter((field) =>
					info.specs.has(field),
				),
			};
		});
	}

	private async locateAndPlan(prepared: Prepared[]): Promise<Planned[]> {
		if (!prepared.length) return [];
		const before = this.provider.usage().calls;
		let located;
		try {
			await this.guards.memory.prefetch?.(
				prepared.flatMap((p) => (p.identity ? [p.identity] : [])),
			);
			located = await locateRecords(this.provider, {
				crm: this.crm,
				objects: this.lookupObjects(prepared),
				keys: prepared.map((p) => p.key),
				recall: (key) => this.guards.memory.recall(identityKey(this.scope, key)),
				known: prepared.map((p) => p.known),
			});
		} catch (error) {
			const calls = shareCalls(this.provider.usage().calls - before, prepared.length);
			prepared.forEach((p, i) =>
				this.fail(p.itemIndex, p.json, toNodeError(this.node, error, p.itemIndex), [], calls[i]),
			);
			return [];
		}
		const lookupCalls = shareCalls(this.provider.usage().calls - before, prepared.length);
		const deps: PlanDependencies = {
			context: {
				today: DateTime.now().setZone(this.ctx.getTimezone()).toISODate() ?? '',
				zone: this.ctx.getTimezone(),
			},
			aiMerger: async () => await this.aiMerger(),
		};
		const states = new RecordStates();
		/** The first item of the batch that creates each new identity. */
		const creators = new Map<string, number>();
		const planned: Planned[] = [];
		for (const [index, p] of prepared.entries()) {
			const found = located[index];
			const record = found?.record;
			const creating = !record && this.canCreate(p);
			const object =
				record && found.kind
					? this.object(found.kind)
					: creating
						? this.object(this.settings.createAs)
						: this.object(this.settings.kind);
			const stateKey = record
				? `record:${object.kind}:${record.id}`
				: creating
					? `new:${p.identity}`
					: undefined;
			const current = stateKey ? states.current(stateKey, record?.properties) : undefined;
			const converted = runItemStep(this.node, p.itemIndex, () =>
				this.addressUpdates(p, object, current),
			);
			if (!converted.ok) {
				this.fail(p.itemIndex, p.json, converted.error, [], lookupCalls[index]);
				continue;
			}
			// A lead's address fields land on a matched contact's address, and back.
			const onObject = translatePersonUpdates(
				converted.value,
				(name) => object.specs.has(name),
				object.kind,
				this.provider.profile.address,
			);
			const updates = creating ? this.withKeyField(p, object, onObject) : onObject;
			const outcome = await planItem(updates, { ...object, recordId: record?.id, current }, deps);
			if (!outcome.ok) {
				const error = new NodeOperationError(
					this.node,
					`Item ${p.itemIndex}: field "${outcome.field}": ${outcome.reason}`,
					{ itemIndex: p.itemIndex },
				);
				this.fail(p.itemIndex, p.json, error, outcome.changes, lookupCalls[index]);
				continue;
			}
			if (stateKey) states.apply(stateKey, current, outcome.properties);
			const joins = creating && p.identity ? creators.get(p.identity) : undefined;
			if (creating && p.identity && joins === undefined) creators.set(p.identity, p.itemIndex);
			planned.push({
				...p,
				updates,
				object,
				recordId: record?.id,
				matchCount: found?.matchCount ?? 0,
				remembered: found?.remembered ?? false,
				knownRecord: found?.known,
				missing: !record,
				joins,
				changes: outcome.changes,
				properties: outcome.properties,
				calls: lookupCalls[index],
			});
		}
		return planned;
	}

	/**
	 * The item's updates with mapped states and countries in the form the CRM stores (when the
	 * option is on); throws the item's error naming the field and the value that do not resolve.
	 */
	private addressUpdates(
		p: Prepared,
		object: ObjectInfo,
		current: Record<string, unknown> | undefined,
	): FieldUpdate[] {
		const facts = this.settings.addressValues;
		const addresses = facts?.fields[object.kind];
		if (!facts || !addresses) return p.updates;
		const outcome = convertAddressUpdates(p.updates, {
			storage: facts.storage,
			addresses,
			has: (field) => object.specs.has(field),
			current,
		});
		if (outcome.ok) return outcome.updates;
		// The reasons quote the value they could not resolve.
		throw new NodeOperationError(
			this.node,
			`Item ${p.itemIndex}: field "${outcome.field}": ${outcome.reason}`,
			{ itemIndex: p.itemIndex },
		);
	}

	/** A new record keeps the phone/email it was looked up by, unless the mapping sets it. */
	private withKeyField(p: Prepared, object: ObjectInfo, updates: FieldUpdate[]): FieldUpdate[] {
		const field = keyField(this.crm, p.key);
		if (!field || !object.specs.has(field) || updates.some((u) => u.field === field))
			return updates;
		return [...updates, { field, value: p.key.value, mode: 'fillIfEmpty' }];
	}

	private operation(p: Planned, created: boolean): string {
		return `${created ? 'create' : 'update'}-${p.object.kind}`;
	}

	private emitDryRun(planned: Planned[]): void {
		for (const p of planned) {
			const count = Object.keys(p.properties).length;
			if (p.missing) {
				const create = this.canCreate(p)
					? p.joins === undefined
						? `; would create a ${p.object.kind} with ${count} field(s)`
						: `; would join the ${p.object.kind} item ${p.joins} creates`
					: '';
				const reason = `dry run: no matching ${this.settings.kind}${create}`;
				this.succeed(
					p,
					NO_MATCH,
					syncLog(this.crm, this.operation(p, true), 'skipped', {
						reason,
						apiCalls: p.calls,
						target: { type: p.object.kind },
					}),
					{ dryRun: true },
				);
			} else {
				const reason = `dry run: ${count} field(s) would change`;
				this.succeed(
					p,
					UPDATED,
					syncLog(this.crm, this.operation(p, false), 'skipped', {
						reason,
						apiCalls: p.calls,
						target: { type: p.object.kind, id: p.recordId },
					}),
					{ dryRun: true },
				);
			}
		}
	}

	private async write(planned: Planned[]): Promise<void> {
		const writable: Planned[] = [];
		for (const p of planned) {
			if (!p.missing || this.canCreate(p)) {
				writable.push(p);
				continue;
			}
			const reason =
				p.key.by === 'id'
					? `no ${this.settings.kind} has this id`
					: `no matching ${this.settings.kind}`;
			this.succeed(
				p,
				NO_MATCH,
				syncLog(this.crm, this.operation(p, true), 'skipped', {
					reason,
					apiCalls: p.calls,
					target: { type: p.object.kind },
				}),
				{},
			);
		}
		const byType = new Map<string, WriteGroup[]>();
		for (const group of groupWrites(this.crm, writable)) {
			if (Object.keys(group.write.properties).length === 0) {
				for (const p of group.items)
					this.succeed(
						p,
						UPDATED,
						syncLog(this.crm, this.operation(p, false), 'skipped', {
							reason: 'no field changed',
							apiCalls: p.calls,
							target: { type: p.object.kind, id: p.recordId },
						}),
						{},
					);
				continue;
			}
			byType.set(group.objectType, [...(byType.get(group.objectType) ?? []), group]);
		}
		for (const [objectType, list] of byType) await this.writeObjectType(objectType, list);
	}

	private async writeObjectType(objectType: string, list: WriteGroup[]): Promise<void> {
		const before = this.provider.usage().calls;
		let results: WriteResult[];
		const owners = list.flatMap((group) => group.items);
		try {
			results = await this.provider.upsertRecords(
				objectType,
				list.map((group) => group.write),
			);
		} catch (error) {
			const calls = shareCalls(this.provider.usage().calls - before, owners.length);
			owners.forEach((p, i) =>
				this.fail(
					p.itemIndex,
					p.json,
					toNodeError(this.node, error, p.itemIndex),
					p.changes,
					p.calls + calls[i],
					this.operation(p, !p.recordId),
				),
			);
			return;
		}
		const outcome = (index: number): WriteResult =>
			results[index] ?? {
				ok: false,
				error: { message: 'the CRM returned no result for this record' },
			};
		// Remember new records before any item outcome can stop the node (and before the person locks are released).
		await Promise.all(
			list.map(async (group, index) => {
				const result = outcome(index);
				if (result.ok && group.identity)
					await this.guards.memory.remember(group.identity, {
						id: result.id,
						kind: group.kind,
						objectType,
					});
			}),
		);
		const calls = shareCalls(this.provider.usage().calls - before, owners.length);
		let owner = 0;
		list.forEach((group, index) => {
			const result = outcome(index);
			for (const p of group.items) this.report(p, result, p.calls + calls[owner++]);
		});
	}

	private report(p: Planned, result: WriteResult, apiCalls: number): void {
		if (!result.ok) {
			const code = result.error.code ? ` (${result.error.code})` : '';
			const message = `Item ${p.itemIndex}: ${crmDisplayName(this.crm)} rejected the ${p.object.kind} ${p.recordId ? 'update' : 'create'}: ${result.error.message}${code}`;
			// The CRM's answer decides the kind (unavailable, rejected, uncertain), so callers may retry the right ones.
			const marks = {
				...writeFailureMarks(this.crm, result.error),
				...(result.error.uncertain ? { uncertain: true } : {}),
			};
			const error = markFailure(
				new NodeOperationError(this.node, message, { itemIndex: p.itemIndex }),
				marks,
			);
			this.fail(
				p.itemIndex,
				p.json,
				error,
				p.changes,
				apiCalls,
				this.operation(p, !p.recordId),
				p.recordId,
			);
			return;
		}
		// Later items with the same new key joined the first item's record: for them it is an update.
		const created = !p.recordId && p.joins === undefined && result.created;
		const fields = `${Object.keys(p.properties).length} field(s) written`;
		const reason =
			p.joins === undefined
				? fields
				: `${fields} into the ${p.object.kind} created for item ${p.joins}`;
		this.succeed(
			p,
			UPDATED,
			syncLog(this.crm, this.operation(p, created), 'success', {
				reason,
				apiCalls,
				target: { type: p.object.kind, id: result.id },
			}),
			{ recordId: result.id, created },
		);
	}

	private crmSection(json: IDataObject, extra: IDataObject): IDataObject {
		const section = json.crm;
		const prior =
			typeof section === 'object' && section !== null && !Array.isArray(section)
				? (section as IDataObject)
				: {};
		return { ...prior, provider: this.crm, ...extra };
	}

	private succeed(
		p: Planned,
		output: number,
		log: SyncLog,
		extra: { recordId?: string; created?: boolean; dryRun?: boolean },
	): void {
		const record: IDataObject = {
			objectType: p.object.objectType,
			kind: p.object.kind,
			matched: !p.missing,
			matchCount: p.matchCount,
		};
		const id = extra.recordId ?? p.recordId;
		if (id) record.id = id;
		if (extra.created !== undefined) record.created = extra.created;
		if (p.remembered) record.remembered = true;
		const matchKey: IDataObject = {
			by: p.key.by,
			value: p.key.value,
			fallback: p.fallbackReason !== undefined,
		};
		if (p.fallbackReason) matchKey.reason = p.fallbackReason;
		const section: IDataObject = {
			record,
			matchKey,
			...(p.knownRecord ? { knownRecord: { ...p.knownRecord } } : {}),
			dryRun: extra.dryRun === true,
			fieldChanges: p.changes as unknown as IDataObject[],
		};
		if (!p.missing) section.matchedAs = p.object.kind;
		const crm = this.crmSection(p.json, section);
		this.outcomes.success(
			p.itemIndex,
			{ ...p.json, crm, syncLog: [...priorLogs(p.json), log] as unknown as IDataObject[] },
			output,
		);
	}

	private fail(
		itemIndex: number,
		json: IDataObject,
		error: NodeError,
		changes: FieldChange[],
		apiCalls: number,
		operation = `update-${this.settings.kind}`,
		recordId?: string,
	): void {
		const log = syncLog(this.crm, operation, 'failed', {
			reason: error.message,
			apiCalls,
			target: { type: this.settings.kind, ...(recordId ? { id: recordId } : {}) },
		});
		const crm = this.crmSection(json, {
			dryRun: this.settings.dryRun,
			fieldChanges: changes as unknown as IDataObject[],
		});
		this.outcomes.failure(itemIndex, error, {
			...json,
			crm,
			syncLog: [...priorLogs(json), log] as unknown as IDataObject[],
		});
	}
}

export async function executeFieldMerge(
	this: IExecuteFunctions,
	guards: IdentityGuards = PROCESS_GUARDS,
): Promise<INodeExecutionData[][]> {
	const settings = readSettings(this);
	const { crm, credentialType, provider } = await connectProvider(this);
	// People are one per CRM account; the credential stands for the account.
	const credentialId = this.getNode().credentials?.[credentialType]?.id ?? 'unsaved';
	const scope = `fieldMerge|${crm}|${credentialType}:${credentialId}`;
	return await new FieldMergeRun(this, crm, provider, settings, scope, guards).run();
}
