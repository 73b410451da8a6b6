/**
 * CRM Record Sync: copies source records (the CRM Sync Trigger's items) into their
 * counterparts in the target CRM under per-field sync rules.
 *
 * Per batch: the mapping is type-checked once; each item's mapped values are converted and
 * fingerprinted, and an item whose values equal its link's fingerprint (the sync's own write
 * coming back, or values already copied) is skipped without an API call. The rest are locked
 * by source record and person/company key, their counterparts found (link → email over
 * leads and contacts → domain; one provider call per step), the rules decided per field and
 * only the changes written, one upsert call per object type. Every item carries its action,
 * field changes and the link rows to store for both records.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
} from 'n8n-workflow';

import type { NeutralValue } from '../CrmContactFieldMerge/logic/fieldValues';
import {
	fieldSpecs,
	mergeTypeOf,
	objectTypeFor,
	type MergeFieldSpec,
} from '../CrmContactFieldMerge/fieldSpecs';
import { wireValue } from '../CrmContactFieldMerge/wireValues';
import { normalizeEmail } from '../shared/logic/email';
import type { CrmName, ObjectKind } from '../shared/model';
import { markFailure, writeFailureMarks } from '../shared/node/failureKind';
import { withKeyedLocks, type KeyedLock } from '../shared/node/keyedLock';
import { Outcomes, runItemStep, type NodeError } from '../shared/node/outcomes';
import { priorLogs, syncLog } from '../shared/node/syncLog';
import { connectProvider, type ConnectedProvider } from '../shared/providers/connect';
import type {
	CrmProvider,
	FieldDescription,
	RecordData,
	RecordWrite,
	WriteResult,
} from '../shared/providers/CrmProvider';
import { crmDisplayName, profileOf } from '../shared/providers/profiles';
import { callsLeft, capReachedMessage, mayProceed } from '../shared/logic/apiBudget';
import { toNodeError } from '../shared/transport/nodeErrors';
import {
	linkKey,
	parseLinkRow,
	processLinks,
	processPendingCreates,
	type LinkMemory,
	type LinkRow,
	type ParsedLink,
	type PendingMemory,
} from './links';
import { convertValue, storedValue } from './logic/convertValue';
import { echoVerdict, fingerprint } from './logic/echo';
import {
	checkCompatibility,
	fieldPairName,
	type MappedFieldFacts,
} from './logic/fieldCompatibility';
import {
	domainOfWebsite,
	ineligibleReason,
	resolveIdentity,
	type IdentityDecision,
	type IdentityFacts,
} from './logic/identity';
import { recoverPendingCreate, type PendingCreate } from './logic/pendingCreate';
import { decideField } from './logic/syncRules';
import { readSettings, type FieldMapping, type RecordSyncSettings } from './settings';

export interface RecordSyncGuards {
	lock: KeyedLock;
	links: LinkMemory;
	/** Creates whose answer was lost, found again before creating anew. */
	pending: PendingMemory;
}

const PROCESS_GUARDS: RecordSyncGuards = {
	lock: { withKeyedLocks },
	links: processLinks,
	pending: processPendingCreates,
};

export type SyncAction =
	| 'created'
	| 'updated'
	| 'unchanged'
	| 'echo-skipped'
	| 'skipped-ineligible'
	| 'deferred'
	| 'failed';

interface ObjectInfo {
	kind: ObjectKind;
	objectType: string;
	fields: Map<string, FieldDescription>;
	specs: Map<string, MergeFieldSpec>;
}

interface FieldChangeOut {
	sourceField: string;
	field: string;
	rule: string;
	before: unknown;
	after: unknown;
	applied: boolean;
	reason?: string;
}

interface AssociationOut {
	kind: ObjectKind;
	sourceId: string;
	targetId?: string;
	status: 'linked' | 'unchanged' | 'unresolved' | 'unsupported' | 'failed';
	reason?: string;
}

interface Prepared {
	itemIndex: number;
	/** Associated records of the source by kind, with their target counterparts where known. */
	associated: Partial<Record<ObjectKind, Array<{ sourceId: string; targetId?: string }>>>;
	json: IDataObject;
	source: {
		objectType: string;
		id: string;
		properties: Record<string, unknown>;
		modifiedAt?: number;
	};
	sourceKey: string;
	link?: LinkRow;
	/** Target field → the source value converted to it (undefined = blank), for mappings the source record carries. */
	values: Map<string, { mapping: FieldMapping; value: NeutralValue | undefined }>;
	sourceFingerprint: string;
	email?: string;
	domain?: string;
	/** Company or deal name, as the source holds it. */
	name?: string;
	ineligible?: string;
	/** Lock keys: the source record, and the person/company key. */
	identityKeys: string[];
}

interface Planned extends Prepared {
	associations: AssociationOut[];
	/** Target contact ids to add as junction records once the deal exists. */
	dealContacts: string[];
	decision: IdentityDecision;
	object?: ObjectInfo;
	targetId?: string;
	current?: RecordData;
	changes: FieldChangeOut[];
	properties: Record<string, unknown>;
	/** Target field values after the write, for the target's fingerprint. */
	after: Record<string, NeutralValue | undefined>;
	/** The earlier item of this batch whose write this one shares. */
	joins?: number;
}

/** Pages of the change listing read to find a create whose answer was lost. */
const RECOVERY_PAGES = 5;

const hasEmailMatch = (facts: IdentityFacts | undefined): boolean =>
	Object.values(facts?.byEmail ?? {}).some((ids) => (ids?.length ?? 0) > 0);

const asObject = (value: unknown): IDataObject | undefined =>
	typeof value === 'object' && value !== null && !Array.isArray(value)
		? (value as IDataObject)
		: undefined;

/** A JSON parameter's value: objects as given, text parsed; `invalid` when the text is not JSON. */
function parseJsonParameter(raw: unknown): { value: unknown } | 'invalid' {
	if (typeof raw !== 'string') return { value: raw };
	if (raw.trim() === '') return { value: undefined };
	try {
		return { value: JSON.parse(raw) as unknown };
	} catch {
		return 'invalid';
	}
}

function timeOf(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value !== 'string' || value === '') return undefined;
	const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
	return Number.isNaN(ms) ? undefined : ms;
}

/** Associated ids by kind as fingerprint entries (`@company`), beside the mapped fields. */
function associationValues(
	entries: Array<[string, string[]]>,
): Record<string, NeutralValue | undefined> {
	return Object.fromEntries(entries.map(([kind, ids]) => [`@${kind}`, ids]));
}

class RecordSyncRun {
	private readonly outcomes: Outcomes;
	private readonly node: INode;
	private readonly sourceCrm: CrmName;
	private readonly targetCrm: CrmName;
	private readonly objects = new Map<string, ObjectInfo>();
	private readonly targetKinds: ObjectKind[];

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly settings: RecordSyncSettings,
		private readonly source: CrmProvider,
		private readonly target: CrmProvider,
		private readonly scope: string,
		private readonly guards: RecordSyncGuards,
	) {
		this.outcomes = new Outcomes(ctx, 1);
		this.node = ctx.getNode();
		this.sourceCrm = settings.direction.source;
		this.targetCrm = settings.direction.target;
		this.targetKinds = this.kindsOf(this.targetCrm);
	}

	private fail(message: string, itemIndex?: number): NodeOperationError {
		return new NodeOperationError(this.node, message, itemIndex === undefined ? {} : { itemIndex });
	}

	private async describe(
		provider: CrmProvider,
		kind: ObjectKind,
		objectType: string,
	): Promise<ObjectInfo> {
		const key = `${provider.profile.crm}:${objectType}`;
		const known = this.objects.get(key);
		if (known) return known;
		const description = await provider.describeObject(objectType);
		const info: ObjectInfo = {
			kind,
			objectType,
			fields: new Map(description.fields.map((field) => [field.name, field])),
			specs: fieldSpecs(description),
		};
		this.objects.set(key, info);
		return info;
	}

	private sourceKindOf(objectType: string): ObjectKind | undefined {
		const { objects } = profileOf(this.sourceCrm);
		const kinds =
			this.settings.kind === 'contact' ? (['contact', 'lead'] as const) : [this.settings.kind];
		return kinds.find((kind) => objects[kind]?.objectType === objectType);
	}

	/** Contact and lead where the CRM has leads and the node syncs people; the kind alone otherwise. */
	private kindsOf(crm: CrmName): ObjectKind[] {
		const person = this.settings.kind === 'contact';
		return person && profileOf(crm).objects.lead ? ['contact', 'lead'] : [this.settings.kind];
	}

	private async describeKinds(provider: CrmProvider, kinds: ObjectKind[]): Promise<ObjectInfo[]> {
		const infos: ObjectInfo[] = [];
		for (const k of kinds) {
			const objectType = objectTypeFor(provider.profile, k);
			if (objectType) infos.push(await this.describe(provider, k, objectType));
		}
		return infos;
	}

	async run(): Promise<INodeExecutionData[][]> {
		const { kind } = this.settings;
		const primarySource = objectTypeFor(this.source.profile, kind);
		const primaryTarget = objectTypeFor(this.target.profile, kind);
		if (!primarySource || !primaryTarget)
			throw this.fail(
				`${crmDisplayName(this.sourceCrm)} or ${crmDisplayName(this.targetCrm)} has no ${kind} object`,
			);
		const sources = await this.describeKinds(this.source, this.kindsOf(this.sourceCrm));
		const targets = await this.describeKinds(this.target, this.targetKinds);
		this.checkMappings(sources, targets);
		await this.outcomes.settle(async () => {
			const prepared = await this.prepare();
			const fresh = prepared.filter((p) => !this.skipSeen(p));
			if (fresh.length === 0) return;
			const keys = this.settings.dryRun ? [] : fresh.flatMap((p) => p.identityKeys);
			await this.guards.lock.withKeyedLocks(keys, async () => {
				await this.guards.links.prefetch?.(fresh.map((p) => p.sourceKey));
				await this.guards.pending.prefetch?.(fresh.map((p) => this.pendingKey(p)));
				// Already at the cap (the describes reported it): not even the lookups run.
				if (!this.settings.dryRun && this.capReached()) {
					this.emitDeferred(fresh);
					return;
				}
				const planned = await this.locateAndPlan(fresh);
				if (this.settings.dryRun) planned.forEach((p) => this.emitPlanned(p, true));
				else await this.write(planned);
			});
		});
		return this.outcomes.result();
	}

	/**
	 * Every mapping must name fields both CRMs have (on one of the person objects, for people),
	 * of types that convert; fails the run naming the pair.
	 */
	private checkMappings(sources: ObjectInfo[], targets: ObjectInfo[]): void {
		const facts = (
			infos: ObjectInfo[],
			name: string,
			side: string,
			crm: CrmName,
		): MappedFieldFacts => {
			const field = infos.map((info) => info.fields.get(name)).find((f) => f !== undefined);
			if (!field)
				throw this.fail(
					`The ${side} field "${name}" does not exist on the ${crmDisplayName(crm)} ${infos.map((i) => i.objectType).join(' or ')} object`,
				);
			return {
				name,
				label: field.label,
				type: mergeTypeOf(field),
				nativeType: field.nativeType,
				readOnly: field.readOnly,
			};
		};
		for (const mapping of this.settings.mappings) {
			if (mapping.rule === 'none') continue;
			const s = facts(sources, mapping.sourceField, 'source', this.sourceCrm);
			const t = facts(targets, mapping.targetField, 'target', this.targetCrm);
			const verdict = checkCompatibility(s, t);
			if (!verdict.ok) throw this.fail(verdict.reason);
		}
	}

	private async prepare(): Promise<Prepared[]> {
		const items = this.ctx.getInputData();
		const parsed: Array<{
			index: number;
			json: IDataObject;
			record: Prepared['source'];
			link?: LinkRow;
			associated: Prepared['associated'];
		}> = [];
		items.forEach((item, itemIndex) => {
			const step = runItemStep(this.node, itemIndex, () => this.readItem(itemIndex));
			if (!step.ok) this.failItem(itemIndex, item.json, step.error);
			else parsed.push({ index: itemIndex, json: item.json, ...step.value });
		});
		const prepared: Prepared[] = [];
		for (const entry of parsed) {
			const kind = this.sourceKindOf(entry.record.objectType);
			if (!kind) {
				this.failItem(
					entry.index,
					entry.json,
					this.fail(
						`Item ${entry.index}: the source record's object "${entry.record.objectType}" is not a ${this.settings.kind} object of ${crmDisplayName(this.sourceCrm)}`,
						entry.index,
					),
				);
				continue;
			}
			const info = await this.describe(this.source, kind, entry.record.objectType);
			const step = runItemStep(this.node, entry.index, () =>
				this.values(entry.index, info, entry.record, entry.associated),
			);
			if (!step.ok) {
				this.failItem(entry.index, entry.json, step.error);
				continue;
			}
			const sourceKey = linkKey(this.sourceCrm, entry.record.objectType, entry.record.id);
			const keys = this.identityFacts(entry.record.properties);
			const identityKeys = [`${this.scope}|record|${sourceKey}`];
			if (keys.email) identityKeys.push(`${this.scope}|email|${keys.email}`);
			if (keys.domain) identityKeys.push(`${this.scope}|domain|${keys.domain}`);
			prepared.push({
				itemIndex: entry.index,
				associated: entry.associated,
				json: entry.json,
				source: entry.record,
				sourceKey,
				link: entry.link,
				values: step.value.values,
				sourceFingerprint: step.value.fingerprint,
				...keys,
				ineligible: ineligibleReason(this.settings.kind, { email: keys.email, name: keys.name }),
				identityKeys,
			});
		}
		return prepared;
	}

	private readItem(itemIndex: number): {
		record: Prepared['source'];
		link?: LinkRow;
		associated: Prepared['associated'];
	} {
		const raw = parseJsonParameter(this.ctx.getNodeParameter('sourceRecord', itemIndex, {}));
		if (raw === 'invalid')
			throw this.fail(`Item ${itemIndex}: the source record is not valid JSON`, itemIndex);
		const record = asObject(raw.value);
		if (!record)
			throw this.fail(`Item ${itemIndex}: the source record is not an object`, itemIndex);
		const crm = record.crm;
		if (typeof crm === 'string' && crm !== '' && crm !== this.sourceCrm)
			throw this.fail(
				`Item ${itemIndex}: the record comes from ${crm}, but the direction's source is ${crmDisplayName(this.sourceCrm)}`,
				itemIndex,
			);
		const idValue = record.id ?? record.crmId;
		const id = typeof idValue === 'number' ? String(idValue) : idValue;
		if (typeof id !== 'string' || id === '')
			throw this.fail(`Item ${itemIndex}: field "id": the source record has no id`, itemIndex);
		const objectType =
			typeof record.objectType === 'string' && record.objectType !== ''
				? record.objectType
				: (objectTypeFor(this.source.profile, this.settings.kind) ?? '');
		if (record.event === 'deleted')
			throw this.fail(
				`Item ${itemIndex}: field "event": the record was deleted in ${crmDisplayName(this.sourceCrm)} — CRM Record Sync does not delete counterparts yet; route deleted items (event = "deleted") around this node`,
				itemIndex,
			);
		// The CRM Sync Trigger gives companies and deals standard values under neutral names in
		// `properties` and the chosen fields under their CRM names in `fields`; mappings name CRM
		// fields, so those win. A raw CRM record has only `properties`, under CRM names.
		const standard = asObject(record.properties);
		const chosen = asObject(record.fields);
		const properties = standard || chosen ? { ...standard, ...chosen } : undefined;
		if (!properties)
			throw this.fail(
				`Item ${itemIndex}: field "properties": the source record has no properties object`,
				itemIndex,
			);
		const storedLink = parseJsonParameter(this.ctx.getNodeParameter('storedLink', itemIndex, ''));
		const parsedLink: ParsedLink =
			storedLink === 'invalid'
				? { ok: false, reason: 'the stored link is not valid JSON' }
				: parseLinkRow(storedLink.value);
		if (!parsedLink.ok)
			throw this.fail(`Item ${itemIndex}: field "storedLink": ${parsedLink.reason}`, itemIndex);
		const link = parsedLink.row;
		if (link && link.key !== linkKey(this.sourceCrm, objectType, id))
			throw this.fail(
				`Item ${itemIndex}: field "storedLink": the link belongs to ${link.key}, not to this record (${linkKey(this.sourceCrm, objectType, id)})`,
				itemIndex,
			);
		return {
			record: { objectType, id, properties, modifiedAt: timeOf(record.updatedAt) },
			link,
			associated: this.readAssociations(itemIndex),
		};
	}

	/** The item's associated source records by kind, each with its target counterpart when known. */
	private readAssociations(itemIndex: number): Prepared['associated'] {
		const raw = parseJsonParameter(this.ctx.getNodeParameter('associations', itemIndex, ''));
		if (raw === 'invalid')
			throw this.fail(`Item ${itemIndex}: field "associations": not valid JSON`, itemIndex);
		if (raw.value === undefined || raw.value === null) return {};
		const byKind = asObject(raw.value);
		if (!byKind)
			throw this.fail(
				`Item ${itemIndex}: field "associations": expected an object of ID lists by kind, e.g. {"company": ["123"]}`,
				itemIndex,
			);
		const associated: Prepared['associated'] = {};
		for (const kind of ['company', 'contact'] as const) {
			const list = byKind[kind];
			if (list === undefined || list === null) continue;
			const entries = Array.isArray(list) ? list : [list];
			const objectType = objectTypeFor(this.source.profile, kind) ?? kind;
			associated[kind] = entries.map((entry) => {
				const row = asObject(entry);
				const idValue = row ? row.id : entry;
				const sourceId =
					typeof idValue === 'number' || typeof idValue === 'string' ? String(idValue) : '';
				if (sourceId === '')
					throw this.fail(
						`Item ${itemIndex}: field "associations.${kind}": an entry has no ID`,
						itemIndex,
					);
				const given = row && typeof row.counterpartId === 'string' ? row.counterpartId : undefined;
				const known = this.guards.links.recall(linkKey(this.sourceCrm, objectType, sourceId));
				const targetId =
					given ?? (known?.counterpartCrm === this.targetCrm ? known.counterpartId : undefined);
				return { sourceId, ...(targetId ? { targetId } : {}) };
			});
		}
		return associated;
	}

	/** The mapped values converted to the target fields, and the fingerprint of the source's mapped values. */
	private values(
		itemIndex: number,
		info: ObjectInfo,
		record: Prepared['source'],
		associated: Prepared['associated'],
	) {
		const values: Prepared['values'] = new Map();
		// Associations count as values: a record whose company changed is not "already synced".
		const seen: Record<string, NeutralValue | undefined> = associationValues(
			Object.entries(associated).map(([kind, list]) => [kind, list.map((a) => a.sourceId)]),
		);
		const targets = this.targetKinds.map((k) => this.targetObject(k));
		for (const mapping of this.settings.mappings) {
			if (mapping.rule === 'none') continue;
			const sourceSpec = info.specs.get(mapping.sourceField);
			const targetSpec = targets
				.map((t) => t.specs.get(mapping.targetField))
				.find((spec) => spec !== undefined);
			// A field this kind of source record lacks (a lead's field on a contact) or did not deliver is left alone.
			if (!sourceSpec || !targetSpec || !(mapping.sourceField in record.properties)) continue;
			const raw = record.properties[mapping.sourceField];
			seen[mapping.sourceField] = storedValue(raw, sourceSpec);
			const converted = convertValue(raw, sourceSpec, targetSpec);
			if (!converted.ok)
				throw this.fail(
					`Item ${itemIndex}: field pair ${fieldPairName(
						{ ...sourceSpec, label: sourceSpec.label, nativeType: '', readOnly: false },
						{ ...targetSpec, label: targetSpec.label, nativeType: '', readOnly: false },
					)}: ${converted.reason}`,
					itemIndex,
				);
			values.set(mapping.targetField, { mapping, value: converted.value });
		}
		return { values, fingerprint: fingerprint(seen) };
	}

	private identityFacts(properties: Record<string, unknown>): {
		email?: string;
		domain?: string;
		name?: string;
	} {
		const profile = profileOf(this.sourceCrm);
		const text = (field: string | undefined) => {
			const value = field ? properties[field] : undefined;
			return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
		};
		if (this.settings.kind === 'contact') {
			const raw = text(profile.personKeys.stored.email);
			const email = raw ? normalizeEmail(raw) : undefined;
			return email?.ok ? { email: email.email } : {};
		}
		if (this.settings.kind === 'company') {
			const keys = profile.recordKeys?.company;
			const website = text(keys?.website);
			return { name: text(keys?.name), domain: website ? domainOfWebsite(website) : undefined };
		}
		return { name: text(profile.recordKeys?.deal?.name) };
	}

	/** Echo suppression: an item whose mapped values the link already knows is answered without an API call. */
	private skipSeen(p: Prepared): boolean {
		const link = p.link ?? this.guards.links.recall(p.sourceKey);
		const verdict = echoVerdict(link, p.sourceFingerprint);
		if (verdict === 'new' || !link) return false;
		const action: SyncAction = verdict === 'echo' ? 'echo-skipped' : 'unchanged';
		const reason =
			verdict === 'echo'
				? "the change is the sync's own write coming back"
				: 'the mapped values were already synced';
		this.emit(p, action, {
			target: { objectType: link.counterpartObjectType, id: link.counterpartId },
			reason,
			changes: [],
			rows: [],
			apiCalls: 0,
		});
		return true;
	}

	private async locateAndPlan(prepared: Prepared[]): Promise<Planned[]> {
		const facts = new Map<number, IdentityFacts>();
		const linked = new Map<string, string[]>();
		for (const p of prepared) {
			const link = p.link ?? this.guards.links.recall(p.sourceKey);
			if (link && link.counterpartCrm === this.targetCrm) {
				facts.set(p.itemIndex, {
					linked: {
						kind: this.targetKindOf(link.counterpartObjectType),
						id: link.counterpartId,
						exists: false,
					},
				});
				linked.set(link.counterpartObjectType, [
					...(linked.get(link.counterpartObjectType) ?? []),
					link.counterpartId,
				]);
			} else facts.set(p.itemIndex, {});
		}
		const records = new Map<string, RecordData>();
		await this.readTargets(linked, records);
		for (const p of prepared) {
			const f = facts.get(p.itemIndex);
			if (f?.linked)
				f.linked.exists = records.has(`${this.objectTypeOf(f.linked.kind)}:${f.linked.id}`);
		}
		await this.searchTargets(
			prepared.filter((p) => !facts.get(p.itemIndex)?.linked?.exists),
			facts,
			records,
		);
		const waiting = await this.recoverPendingCreates(
			prepared.filter((p) => {
				const f = facts.get(p.itemIndex);
				return !f?.linked?.exists && !f?.byDomain?.length && !hasEmailMatch(f);
			}),
			facts,
			records,
		);
		for (const [itemIndex, reason] of waiting) {
			const p = prepared.find((entry) => entry.itemIndex === itemIndex)!;
			this.failItem(
				itemIndex,
				p.json,
				markFailure(this.fail(`Item ${itemIndex}: ${reason}`, itemIndex), { uncertain: true }),
			);
		}
		const writers = new Map<string, number>();
		return prepared
			.filter((p) => !waiting.has(p.itemIndex))
			.map((p) => {
				const decision = resolveIdentity(facts.get(p.itemIndex) ?? {}, {
					kind: this.settings.kind,
					newPersonKind: this.settings.newPersonKind,
					create: this.settings.create,
					ineligibleReason: p.ineligible,
				});
				const planned = this.plan(p, decision, records);
				// Items of one batch on the same target record (or the same new identity) share one write.
				const writeKey =
					decision.action === 'update'
						? `update:${decision.kind}:${decision.id}`
						: decision.action === 'create'
							? `create:${p.email ?? p.domain ?? p.sourceKey}`
							: undefined;
				if (writeKey) {
					const first = writers.get(writeKey);
					if (first === undefined) writers.set(writeKey, p.itemIndex);
					else planned.joins = first;
				}
				return planned;
			});
	}

	private pendingKey(p: Prepared): string {
		return `${this.targetCrm}|${p.sourceKey}`;
	}

	/** The target's name field of a company or deal object (people are found again by email). */
	private targetNameField(kind: ObjectKind | undefined): string | undefined {
		const keys = this.target.profile.recordKeys;
		if (kind === 'company') return keys?.company?.name;
		if (kind === 'deal') return keys?.deal?.name;
		return undefined;
	}

	/** A create without an answer, kept so the next delivery looks for its record first. */
	private async rememberPendingCreate(p: Planned, attemptAt: string): Promise<void> {
		if (p.decision.action !== 'create' || p.joins !== undefined || !p.object) return;
		const nameField = this.targetNameField(p.object.kind);
		const name = nameField ? p.properties[nameField] : undefined;
		if (!nameField || typeof name !== 'string' || name.trim() === '') return;
		await this.guards.pending.remember(this.pendingKey(p), {
			objectType: p.object.objectType,
			nameField,
			name,
			since: attemptAt,
		});
	}

	/**
	 * Items whose earlier create had no answer and that nothing else found: one change listing
	 * per object type since the earliest attempt; the record found is used as the counterpart.
	 * Returns the items to leave out this run, with why (the listing may not show it yet).
	 */
	private async recoverPendingCreates(
		unfound: Prepared[],
		facts: Map<number, IdentityFacts>,
		records: Map<string, RecordData>,
	): Promise<Map<number, string>> {
		const waiting = new Map<number, string>();
		const byType = new Map<string, Array<{ p: Prepared; pending: PendingCreate }>>();
		for (const p of unfound) {
			const pending = this.guards.pending.recall(this.pendingKey(p));
			if (!pending) continue;
			byType.set(pending.objectType, [...(byType.get(pending.objectType) ?? []), { p, pending }]);
		}
		for (const [objectType, entries] of byType) {
			const since = entries.map((e) => e.pending.since).sort()[0];
			const kind = this.targetKindOf(objectType);
			const fields = [
				...new Set([
					...this.mappedFields(this.targetObject(kind)),
					...entries.map((e) => e.pending.nameField),
				]),
			];
			const listed: RecordData[] = [];
			let cursor: string | undefined;
			for (let page = 0; page < RECOVERY_PAGES; page++) {
				const result = await this.target.listChanged({
					objectType,
					since,
					properties: fields,
					...(cursor ? { cursor } : {}),
				});
				listed.push(...result.records);
				cursor = result.nextCursor;
				if (!cursor) break;
			}
			for (const { p, pending } of entries) {
				const recovery = recoverPendingCreate(
					pending,
					listed.map((r) => ({
						id: r.id,
						name: r.properties[pending.nameField],
						createdAt: r.createdAt,
					})),
					Date.now(),
					this.target.profile.changeListingLagMs ?? 0,
				);
				if (recovery.status === 'found') {
					const record = listed.find((r) => r.id === recovery.id);
					if (record) records.set(`${objectType}:${record.id}`, record);
					facts.set(p.itemIndex, { linked: { kind, id: recovery.id, exists: true } });
				} else if (recovery.status === 'unknown') waiting.set(p.itemIndex, recovery.reason);
			}
		}
		return waiting;
	}

	private targetKindOf(objectType: string): ObjectKind {
		const { objects } = profileOf(this.targetCrm);
		return (
			this.targetKinds.find((k) => objects[k]?.objectType === objectType) ?? this.settings.kind
		);
	}

	private objectTypeOf(kind: ObjectKind): string {
		return objectTypeFor(this.target.profile, kind) ?? kind;
	}

	private targetObject(kind: ObjectKind): ObjectInfo {
		const info = this.objects.get(`${this.targetCrm}:${this.objectTypeOf(kind)}`);
		if (!info) throw this.fail(`${crmDisplayName(this.targetCrm)} has no ${kind} object`);
		return info;
	}

	/** The mapped fields an object has, and its change-time field where the CRM needs it asked for. */
	private mappedFields(info: ObjectInfo): string[] {
		const modified = this.target.profile.recordKeys?.modifiedField;
		const fields = this.settings.mappings
			.filter((m) => m.rule !== 'none' && info.specs.has(m.targetField))
			.map((m) => m.targetField);
		const extra = [modified, this.companyField(info)].filter(
			(field): field is string => field !== undefined && info.fields.has(field),
		);
		return [...new Set([...fields, ...extra])];
	}

	/** The lookup field holding a record's company in the target, where it stores it so. */
	private companyField(info: ObjectInfo): string | undefined {
		const facts = this.target.profile.recordAssociations;
		if (info.kind === 'contact') return facts?.contactCompanyField;
		if (info.kind === 'deal') return facts?.dealCompanyField;
		return undefined;
	}

	/** The company lookup and the deal's contacts the item's associations ask for. */
	private planAssociations(p: Planned, object: ObjectInfo, current?: RecordData): void {
		const unresolved = (kind: ObjectKind, sourceId: string): AssociationOut => ({
			kind,
			sourceId,
			status: 'unresolved',
			reason: `the associated ${kind} has no counterpart in ${crmDisplayName(this.targetCrm)} yet: sync it first`,
		});
		const companyField = this.companyField(object);
		for (const company of p.associated.company ?? []) {
			if (!companyField || !object.fields.has(companyField)) {
				p.associations.push({
					kind: 'company',
					sourceId: company.sourceId,
					status: 'unsupported',
					reason: `${crmDisplayName(this.targetCrm)} ${object.objectType} records take no company here`,
				});
				continue;
			}
			if (!company.targetId) {
				p.associations.push(unresolved('company', company.sourceId));
				continue;
			}
			const same = current?.properties[companyField] === company.targetId;
			p.associations.push({
				kind: 'company',
				sourceId: company.sourceId,
				targetId: company.targetId,
				status: same ? 'unchanged' : 'linked',
			});
			if (!same) p.properties[companyField] = company.targetId;
		}
		const junction = this.target.profile.recordAssociations?.dealContacts;
		for (const contact of p.associated.contact ?? []) {
			if (object.kind !== 'deal' || !junction) {
				p.associations.push({
					kind: 'contact',
					sourceId: contact.sourceId,
					status: 'unsupported',
					reason: `${crmDisplayName(this.targetCrm)} contacts of a ${object.kind} are not written by this node`,
				});
				continue;
			}
			if (!contact.targetId) {
				p.associations.push(unresolved('contact', contact.sourceId));
				continue;
			}
			// Junction records are added with a new deal: a later change of a deal's contacts is not synced.
			if (p.decision.action !== 'create') {
				p.associations.push({
					kind: 'contact',
					sourceId: contact.sourceId,
					targetId: contact.targetId,
					status: 'unchanged',
					reason: 'contact roles are written when the deal is created',
				});
				continue;
			}
			p.dealContacts.push(contact.targetId);
			p.associations.push({
				kind: 'contact',
				sourceId: contact.sourceId,
				targetId: contact.targetId,
				status: 'linked',
			});
		}
	}

	/** One write of junction records (deal ↔ contact) for the batch's new deals. */
	private async writeDealContacts(created: Array<{ p: Planned; dealId: string }>): Promise<void> {
		const junction = this.target.profile.recordAssociations?.dealContacts;
		const writes = created.flatMap(({ p, dealId }) =>
			p.dealContacts.map((contactId) => ({
				p,
				contactId,
				write: {
					properties: {
						[junction?.dealField ?? '']: dealId,
						[junction?.contactField ?? '']: contactId,
					},
				} as RecordWrite,
			})),
		);
		if (!junction || writes.length === 0) return;
		const markFailed = (p: Planned, contactId: string, reason: string) => {
			const entry = p.associations.find((a) => a.kind === 'contact' && a.targetId === contactId);
			if (entry) Object.assign(entry, { status: 'failed', reason });
		};
		try {
			const results = await this.target.upsertRecords(
				junction.objectType,
				writes.map((w) => w.write),
			);
			writes.forEach((w, index) => {
				const result = results[index];
				if (!result?.ok) markFailed(w.p, w.contactId, result?.error.message ?? 'no result');
			});
		} catch (error) {
			for (const w of writes) markFailed(w.p, w.contactId, (error as Error).message);
		}
	}

	/** One getRecords call per target object type. */
	private async readTargets(
		ids: Map<string, string[]>,
		into: Map<string, RecordData>,
	): Promise<void> {
		for (const [objectType, list] of ids) {
			const unique = [...new Set(list)];
			if (!unique.length) continue;
			const info = this.targetObject(this.targetKindOf(objectType));
			const read = await this.target.getRecords(objectType, unique, this.mappedFields(info));
			for (const record of read) if (record) into.set(`${objectType}:${record.id}`, record);
		}
	}

	/** One findMatches call for the batch's emails (over leads and contacts) or domains, then the matches read. */
	private async searchTargets(
		unlinked: Prepared[],
		facts: Map<number, IdentityFacts>,
		records: Map<string, RecordData>,
	): Promise<void> {
		const person = this.settings.kind === 'contact';
		const searchable = unlinked.filter((p) =>
			person ? p.email : this.settings.kind === 'company' && p.domain,
		);
		if (!searchable.length) return;
		const matches = await this.target.findMatches(
			searchable.map((p) => ({
				phones: [],
				emails: person && p.email ? [p.email] : [],
				domains: !person && p.domain ? [p.domain] : [],
			})),
			{ kinds: this.targetKinds, openDealsOnly: false },
		);
		const toRead = new Map<string, string[]>();
		searchable.forEach((p, index) => {
			const set = matches[index];
			const f = facts.get(p.itemIndex) ?? {};
			if (person) {
				f.byEmail = {};
				for (const kind of this.targetKinds) {
					const ids = (set?.[kind] ?? [])
						.filter((ref) => ref.matchedBy !== 'domain')
						.map((ref) => ref.id);
					f.byEmail[kind] = ids;
					if (ids[0])
						toRead.set(this.objectTypeOf(kind), [
							...(toRead.get(this.objectTypeOf(kind)) ?? []),
							ids[0],
						]);
				}
			} else {
				f.byDomain = (set?.company ?? []).map((ref) => ref.id);
				if (f.byDomain[0])
					toRead.set(this.objectTypeOf('company'), [
						...(toRead.get(this.objectTypeOf('company')) ?? []),
						f.byDomain[0],
					]);
			}
			facts.set(p.itemIndex, f);
		});
		await this.readTargets(toRead, records);
	}

	private plan(p: Prepared, decision: IdentityDecision, records: Map<string, RecordData>): Planned {
		const planned: Planned = {
			...p,
			decision,
			changes: [],
			properties: {},
			after: {},
			associations: [],
			dealContacts: [],
		};
		if (decision.action === 'skip') return planned;
		const object = this.targetObject(decision.kind);
		planned.object = object;
		const current =
			decision.action === 'update' ? records.get(`${object.objectType}:${decision.id}`) : undefined;
		planned.current = current;
		planned.targetId = decision.action === 'update' ? decision.id : undefined;
		const targetAt = timeOf(current?.updatedAt);
		for (const mapping of this.settings.mappings) {
			if (mapping.rule === 'none') continue;
			const spec = object.specs.get(mapping.targetField);
			if (!spec) {
				// A field of the other person object (a contact's field on a lead) is shown, not written.
				if (p.values.has(mapping.targetField))
					planned.changes.push({
						sourceField: mapping.sourceField,
						field: mapping.targetField,
						rule: mapping.rule,
						before: null,
						after: null,
						applied: false,
						reason: `the ${crmDisplayName(this.targetCrm)} ${object.objectType} has no such field`,
					});
				continue;
			}
			const before = current
				? storedValue(current.properties[mapping.targetField], spec)
				: undefined;
			planned.after[mapping.targetField] = before;
			const entry = p.values.get(mapping.targetField);
			if (!entry) continue;
			const verdict = decideField(
				mapping.rule,
				{ value: entry.value, modifiedAt: p.source.modifiedAt },
				{ value: before, modifiedAt: targetAt },
				spec.type,
			);
			// A new record gets no blank values.
			const applied =
				verdict.write && !(decision.action === 'create' && verdict.value === undefined);
			planned.changes.push({
				sourceField: mapping.sourceField,
				field: mapping.targetField,
				rule: mapping.rule,
				before: before ?? null,
				after: verdict.write ? (verdict.value ?? null) : (before ?? null),
				applied,
				...(verdict.write ? {} : { reason: verdict.reason }),
			});
			if (!applied || !verdict.write) continue;
			planned.after[mapping.targetField] = verdict.value;
			planned.properties[mapping.targetField] =
				verdict.value === undefined ? null : wireValue(this.targetCrm, spec, verdict.value);
		}
		this.planAssociations(planned, object, current);
		return planned;
	}

	private async write(planned: Planned[]): Promise<void> {
		const groups = new Map<
			string,
			{ objectType: string; writes: RecordWrite[]; owners: Planned[][] }
		>();
		const byIndex = new Map(planned.map((p) => [p.itemIndex, p]));
		const ownersOf = new Map<number, Planned[]>();
		for (const p of planned) {
			if (p.decision.action === 'skip' || !p.object) {
				this.emitPlanned(p, false);
				continue;
			}
			if (p.joins !== undefined) {
				const owner = byIndex.get(p.joins);
				if (owner) {
					Object.assign(owner.properties, p.properties);
					ownersOf.get(p.joins)?.push(p);
					continue;
				}
			}
			ownersOf.set(p.itemIndex, [p]);
		}
		for (const [index, members] of ownersOf) {
			const p = byIndex.get(index);
			if (!p?.object) continue;
			if (p.decision.action === 'update' && Object.keys(p.properties).length === 0) {
				for (const member of members)
					this.emitPlanned(member, false, { ok: true, id: p.targetId ?? '', created: false });
				continue;
			}
			const write: RecordWrite =
				p.decision.action === 'update'
					? { id: p.targetId, properties: p.properties }
					: this.newRecordWrite(p);
			const group = groups.get(p.object.objectType) ?? {
				objectType: p.object.objectType,
				writes: [],
				owners: [],
			};
			group.writes.push(write);
			group.owners.push(members);
			groups.set(p.object.objectType, group);
		}
		const reports: Array<{
			member: Planned;
			result: WriteResult;
			calls: number;
			attemptAt: string;
		}> = [];
		const deferred: Planned[] = [];
		for (const group of groups.values()) {
			if (!this.withinApiCap(group.writes.length)) {
				deferred.push(...group.owners.flat());
				continue;
			}
			const before = this.target.usage().calls;
			// A little before the request leaves: the CRM's clock and ours differ slightly.
			const attemptAt = new Date(Date.now() - 5_000).toISOString();
			let results: WriteResult[];
			try {
				results = await this.target.upsertRecords(group.objectType, group.writes);
			} catch (error) {
				for (const members of group.owners)
					for (const member of members)
						this.failItem(
							member.itemIndex,
							member.json,
							toNodeError(this.node, error, member.itemIndex),
						);
				continue;
			}
			const calls = this.target.usage().calls - before;
			for (const [index, members] of group.owners.entries()) {
				const result = results[index] ?? {
					ok: false as const,
					error: { message: 'the CRM returned no result for this record' },
				};
				for (const member of members)
					reports.push({ member, result, calls: index === 0 ? calls : 0, attemptAt });
			}
		}
		// A new deal's contacts become junction records in one more write for the batch.
		const createdDeals = reports.flatMap(({ member, result }) =>
			result.ok && member.joins === undefined && member.dealContacts.length > 0
				? [{ p: member, dealId: result.id }]
				: [],
		);
		await this.writeDealContacts(createdDeals);
		for (const { member, result, calls, attemptAt } of reports)
			await this.report(member, result, calls, attemptAt);
		this.emitDeferred(deferred);
	}

	/** Whether writing `records` more stays within the run's share of the target's daily limit. */
	private withinApiCap(records: number): boolean {
		const cap = this.settings.dailyApiCap;
		if (cap === undefined) return true;
		const requests = Math.ceil(records / Math.max(1, this.target.profile.writeBatchSize));
		return mayProceed(this.target.usage().daily, cap, requests);
	}

	/** Whether the target's reported daily usage already stands at the run's cap. */
	private capReached(): boolean {
		const cap = this.settings.dailyApiCap;
		return cap !== undefined && callsLeft(this.target.usage().daily, cap) === 0;
	}

	/** Records the cap held back: output as deferred (nothing remembered), for a later run. */
	private emitDeferred(
		deferred: Array<Prepared & Partial<Pick<Planned, 'object' | 'targetId' | 'changes'>>>,
	): void {
		if (deferred.length === 0) return;
		const daily = this.target.usage().daily;
		const cap = this.settings.dailyApiCap ?? 100;
		const reason = daily
			? capReachedMessage(crmDisplayName(this.targetCrm), daily, cap, deferred.length)
			: `the daily API cap of ${cap} % was reached — ${deferred.length} record(s) left for the next run`;
		for (const p of deferred)
			this.emit(p, 'deferred', {
				target: { objectType: p.object?.objectType ?? '', id: p.targetId },
				reason,
				changes: p.changes ?? [],
				rows: [],
				apiCalls: 0,
			});
	}

	private newRecordWrite(p: Planned): RecordWrite {
		const person = this.settings.kind === 'contact';
		const unique = person ? this.target.profile.personKeys.uniqueOnCreate?.email : undefined;
		// HubSpot holds contact emails unique: a create sent as an upsert by email cannot make a second contact.
		if (unique && p.email && p.object?.kind === 'contact')
			return { idProperty: unique, idValue: p.email, properties: p.properties };
		return { properties: p.properties };
	}

	private async report(
		p: Planned,
		result: WriteResult,
		apiCalls: number,
		attemptAt: string,
	): Promise<void> {
		if (!result.ok) {
			if (result.error.uncertain) await this.rememberPendingCreate(p, attemptAt);
			const code = result.error.code ? ` (${result.error.code})` : '';
			const what = p.decision.action === 'create' ? 'create' : 'update';
			const error = markFailure(
				this.fail(
					`Item ${p.itemIndex}: ${crmDisplayName(this.targetCrm)} rejected the ${p.object?.kind ?? ''} ${what}: ${result.error.message}${code}`,
					p.itemIndex,
				),
				{
					...writeFailureMarks(this.targetCrm, result.error),
					...(result.error.uncertain ? { uncertain: true } : {}),
				},
			);
			this.failItem(p.itemIndex, p.json, error);
			return;
		}
		const rows = this.linkRows(p, result.id, true);
		for (const row of rows) await this.guards.links.remember(row.key, row);
		this.emitPlanned(p, false, result, rows, apiCalls);
	}

	private linkRows(p: Planned, targetId: string, wrote: boolean): LinkRow[] {
		if (!p.object) return [];
		const syncedAt = new Date().toISOString();
		const sourceRow: LinkRow = {
			key: p.sourceKey,
			crm: this.sourceCrm,
			objectType: p.source.objectType,
			recordId: p.source.id,
			counterpartCrm: this.targetCrm,
			counterpartObjectType: p.object.objectType,
			counterpartId: targetId,
			fingerprint: p.sourceFingerprint,
			origin: 'read',
			syncedAt,
		};
		const targetRow: LinkRow = {
			key: linkKey(this.targetCrm, p.object.objectType, targetId),
			crm: this.targetCrm,
			objectType: p.object.objectType,
			recordId: targetId,
			counterpartCrm: this.sourceCrm,
			counterpartObjectType: p.source.objectType,
			counterpartId: p.source.id,
			fingerprint: fingerprint({
				...p.after,
				...associationValues(
					(['company', 'contact'] as const).flatMap((kind) =>
						p.associated[kind]
							? [
									[
										kind,
										p.associations.flatMap((a) =>
											a.kind === kind && a.targetId && a.status !== 'failed' ? [a.targetId] : [],
										),
									],
								]
							: [],
					),
				),
			}),
			origin: wrote && Object.keys(p.properties).length > 0 ? 'written' : 'read',
			syncedAt,
		};
		return [sourceRow, targetRow];
	}

	private emitPlanned(
		p: Planned,
		dryRun: boolean,
		result?: WriteResult,
		rows?: LinkRow[],
		apiCalls = 0,
	): void {
		const decision = p.decision;
		if (decision.action === 'skip') {
			this.emit(p, 'skipped-ineligible', {
				reason: decision.reason,
				changes: [],
				rows: [],
				apiCalls,
				dryRun,
			});
			return;
		}
		const objectType = p.object?.objectType ?? '';
		if (dryRun) {
			const count = Object.keys(p.properties).length;
			const reason =
				decision.action === 'create'
					? `dry run: would create a ${decision.kind} with ${count} field(s)`
					: `dry run: ${count} field(s) would change`;
			this.emit(p, decision.action === 'create' ? 'created' : count ? 'updated' : 'unchanged', {
				target: { objectType, id: p.targetId },
				reason,
				changes: p.changes,
				rows: [],
				apiCalls,
				dryRun,
				matchedBy: decision.action === 'update' ? decision.by : undefined,
				associations: p.associations,
			});
			return;
		}
		const id = result?.ok ? result.id : p.targetId;
		const written = Object.keys(p.properties).length;
		const created =
			decision.action === 'create' &&
			p.joins === undefined &&
			result?.ok === true &&
			result.created;
		const action: SyncAction = created ? 'created' : written > 0 ? 'updated' : 'unchanged';
		const linkRows = rows ?? (id ? this.linkRows(p, id, false) : []);
		if (!rows) for (const row of linkRows) void this.guards.links.remember(row.key, row);
		this.emit(p, action, {
			target: { objectType, id },
			reason:
				p.joins === undefined
					? `${written} field(s) written`
					: `shares the write of item ${p.joins}`,
			changes: p.changes,
			rows: linkRows,
			apiCalls,
			matchedBy: decision.action === 'update' ? decision.by : undefined,
			associations: p.associations,
		});
	}

	private emit(
		p: Prepared,
		action: SyncAction,
		details: {
			target?: { objectType: string; id?: string };
			reason: string;
			changes: FieldChangeOut[];
			rows: LinkRow[];
			apiCalls: number;
			dryRun?: boolean;
			matchedBy?: string;
			associations?: AssociationOut[];
		},
	): void {
		const status = action === 'created' || action === 'updated' ? 'success' : 'skipped';
		const log = syncLog(this.targetCrm, `${action}-${this.settings.kind}`, status, {
			reason: details.reason,
			apiCalls: details.apiCalls,
			target: {
				type: details.target?.objectType ?? this.settings.kind,
				...(details.target?.id ? { id: details.target.id } : {}),
			},
		});
		const recordSync: IDataObject = {
			action,
			reason: details.reason,
			source: { crm: this.sourceCrm, objectType: p.source.objectType, id: p.source.id },
			target: { crm: this.targetCrm, ...(details.target ?? {}) },
			fieldChanges: details.changes as unknown as IDataObject[],
			dryRun: details.dryRun === true,
		};
		if (details.matchedBy) recordSync.matchedBy = details.matchedBy;
		if (details.associations?.length)
			recordSync.associations = details.associations as unknown as IDataObject[];
		this.outcomes.success(p.itemIndex, {
			...p.json,
			recordSync,
			link: { rows: details.rows as unknown as IDataObject[] },
			syncLog: [...priorLogs(p.json), log] as unknown as IDataObject[],
		});
	}

	private failItem(itemIndex: number, json: IDataObject, error: NodeError): void {
		const log = syncLog(this.targetCrm, `failed-${this.settings.kind}`, 'failed', {
			reason: error.message,
		});
		this.outcomes.failure(itemIndex, error, {
			...json,
			syncLog: [...priorLogs(json), log] as unknown as IDataObject[],
		});
	}
}

export async function executeRecordSync(
	this: IExecuteFunctions,
	guards: RecordSyncGuards = PROCESS_GUARDS,
): Promise<INodeExecutionData[][]> {
	const settings = readSettings(this);
	const { direction } = settings;
	const source: ConnectedProvider = await connectProvider(this, direction.source);
	const target: ConnectedProvider = await connectProvider(this, direction.target);
	const credentialId = this.getNode().credentials?.[target.credentialType]?.id ?? 'unsaved';
	const scope = `recordSync|${direction.target}|${target.credentialType}:${credentialId}`;
	return await new RecordSyncRun(
		this,
		settings,
		source.provider,
		target.provider,
		scope,
		guards,
	).run();
}
