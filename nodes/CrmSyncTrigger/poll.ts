/**
 * One poll of the CRM Sync Trigger: records created or updated since the stored cursor,
 * normalised to the neutral contact shape, or `null` when nothing changed. A manual test
 * returns a recent sample, shows where the polls stand and leaves the cursor alone. A full
 * import keeps its progress next to the cursor and reports it in the sync log.
 */
import {
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type IPollFunctions,
} from 'n8n-workflow';

import { contactFieldMap, propertiesToRead, type ContactFieldMap } from './logic/contactNormalize';
import {
	advanceImport,
	importProgressText,
	readImportProgress,
	type ImportProgress,
} from './logic/fullImport';
import {
	readDeletionCursor,
	startDeletionCursor,
	type DeletionCursor,
} from './logic/deletionCursor';
import { readCursor, startCursor, type PollCursor } from './logic/pollCursor';
import { isRecordKind, recordPropertiesToRead } from './logic/recordNormalize';
import type { CrmName } from '../shared/model';
import type { CrmProvider, RecordData } from '../shared/providers/CrmProvider';
import { connectProvider, selectedCrm } from '../shared/providers/connect';
import { toNodeError } from '../shared/transport/nodeErrors';
import { attributeFields, attributePlanFor, type AttributePlan } from './attributes';
import { collectChanges, collectSample, type ListingRequest } from './collect';
import { collectDeletions } from './collectDeletions';
import { fieldMapFor } from './fieldMap';
import { keepMembers, readInclusionMembers } from './inclusion';
import { readKindSettings, type KindSettings } from './objectKinds';
import { changeItems, deletionItems, type ItemContext } from './recordItems';
import { pollSegment, type SegmentTriggerState } from './segmentPoll';
import { readSettings, type SyncTriggerSettings } from './settings';

/** What the trigger keeps in the node's workflow static data. */
interface TriggerState extends SegmentTriggerState {
	/** CRM + object + filter + first-poll bound + start-over key the cursor belongs to; a change of any restarts. */
	scope?: string;
	cursor?: PollCursor;
	/** Only while (and once) a full import runs. */
	fullImport?: ImportProgress;
	/** Where the deletions stand, next to the change cursor (same scope); only with deletions on. */
	deletedCursor?: DeletionCursor;
}

/** A manual test's sample counts a record created this recently as created. */
const SAMPLE_EVENT_WINDOW_MS = 24 * 3_600_000;

/** Share of the poll budget spent before no further page is requested. */
const BUDGET_SHARE = 0.8;

function scopeOf(crm: CrmName, settings: SyncTriggerSettings): string {
	const scope: string[] = [crm, settings.objectType, settings.filter ?? ''];
	// Added only when set, so cursors stored before these settings existed stay valid.
	if (settings.fullImport) scope.push('full import');
	if (settings.startOverKey !== '') scope.push(`start over: ${settings.startOverKey}`);
	return JSON.stringify(scope);
}

/** Where the polls stand, for the output of a manual test. */
function pollState(state: TriggerState, scope: string, settings: SyncTriggerSettings): IDataObject {
	const cursor = state.scope === scope ? readCursor(state.cursor) : undefined;
	const progress = state.scope === scope ? readImportProgress(state.fullImport) : undefined;
	return {
		nextPollReadsFrom: cursor?.since ?? settings.firstPollStart.toISOString(),
		idsAlreadyEmittedAtThatTime: cursor?.seenAtSince.length ?? 0,
		startsOver: cursor === undefined,
		...(progress ? { fullImport: importProgressText(progress) } : {}),
	};
}

function pollBudgetMs(ctx: IPollFunctions): number | undefined {
	// Older n8n versions have no poll budget.
	return typeof ctx.getPollBudgetMs === 'function' ? ctx.getPollBudgetMs() : undefined;
}

function toItems(
	context: ItemContext,
	records: RecordData[],
	apiCalls: number,
	reason?: string,
): INodeExecutionData[] {
	return changeItems(context, records, apiCalls, reason);
}

/** The contact field map for person kinds (a describe call where the CRM has a do-not-call default). */
async function fieldMapOf(
	provider: CrmProvider,
	crm: CrmName,
	settings: SyncTriggerSettings,
	kinds: KindSettings,
): Promise<ContactFieldMap> {
	if (isRecordKind(kinds.kind)) return contactFieldMap(crm);
	return await fieldMapFor(provider, crm, settings.objectType, settings.doNotCallField);
}

function propertiesFor(
	crm: CrmName,
	map: ContactFieldMap,
	settings: SyncTriggerSettings,
	kinds: KindSettings,
	plan: AttributePlan,
): string[] {
	const extra = [...settings.extraFields, ...attributeFields(plan)];
	return isRecordKind(kinds.kind)
		? recordPropertiesToRead(crm, kinds.kind, extra)
		: propertiesToRead(map, extra);
}

export async function pollCrmSync(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const startedAt = Date.now();
	try {
		const crm = selectedCrm(this);
		const settings = readSettings(this, crm, startedAt);
		const kinds = readKindSettings(this, crm, settings.objectType);
		const { provider } = await connectProvider(this, crm);
		const map = await fieldMapOf(provider, crm, settings, kinds);
		const plan = await attributePlanFor(provider, crm, settings.objectType, settings.attributes);
		const budget = pollBudgetMs(this);
		const outOfTime = () => budget !== undefined && Date.now() - startedAt >= budget * BUDGET_SHARE;
		if (settings.segment) {
			if (isRecordKind(kinds.kind))
				throw new NodeOperationError(
					this.getNode(),
					'Members of a list/segment are offered for contacts and leads: choose one of them as the Object, or "All Changed Records"',
				);
			return await pollSegment(this, {
				crm,
				provider,
				settings,
				segment: settings.segment,
				map,
				plan,
				limits: { maxRecords: settings.maxRecords, outOfTime },
			});
		}
		const request: ListingRequest = {
			objectType: settings.objectType,
			properties: propertiesFor(crm, map, settings, kinds, plan),
			filter: settings.filter,
			pageSize: settings.pageSize,
			...(kinds.includeAssociations ? { associations: true } : {}),
		};

		const state = this.getWorkflowStaticData('node') as TriggerState;
		const scope = scopeOf(crm, settings);
		if (this.getMode() === 'manual') {
			const sample = await collectSample(provider, request, startedAt, settings.sampleSize);
			if (sample.length === 0) return null;
			const standing = pollState(state, scope, settings);
			const sampleFrom = new Date(startedAt - SAMPLE_EVENT_WINDOW_MS).toISOString();
			const items = toItems(
				{
					crm,
					kind: kinds.kind,
					settings,
					map,
					plan,
					listedFrom: { since: sampleFrom, seenAtSince: [] },
				},
				sample,
				provider.usage().calls,
				'manual test: a recent sample, the cursor was not moved',
			);
			return [items.map((item) => ({ json: { ...item.json, pollState: standing } }))];
		}

		const stored = state.scope === scope ? readCursor(state.cursor) : undefined;
		const start = stored ?? startCursor(settings.firstPollStart);
		const collected = await collectChanges(provider, request, start, {
			maxRecords: settings.maxRecords,
			settledUntil: startedAt - settings.settleSeconds * 1000,
			outOfTime,
		});
		// The inclusion list is read only when there is something to filter.
		const inclusion =
			settings.inclusionSegmentId && collected.records.length > 0
				? await readInclusionMembers(provider, {
						segmentId: settings.inclusionSegmentId,
						objectType: settings.objectType,
						pageSize: settings.pageSize,
					})
				: undefined;
		if (inclusion) collected.records = keepMembers(collected.records, inclusion.members).kept;
		const before = stored === undefined ? undefined : readImportProgress(state.fullImport);
		const importing = settings.fullImport && before?.finished !== true;
		const progress = importing
			? advanceImport(before, {
					emitted: collected.records.length,
					listedFromCursor: collected.listedFromSince,
					alreadyEmittedAtCursor: start.seenAtSince.length,
					caughtUp: collected.caughtUp,
				})
			: undefined;
		const changeCalls = provider.usage().calls;
		const storedDeletions =
			stored === undefined ? undefined : readDeletionCursor(state.deletedCursor);
		const deletions = kinds.includeDeletions
			? await collectDeletions(
					provider,
					settings.objectType,
					storedDeletions ?? startDeletionCursor(start.since),
					{ settledUntil: startedAt - settings.settleSeconds * 1000, pageSize: settings.pageSize },
				)
			: undefined;
		// Mutate the object n8n handed out: that is what it stores after the poll.
		state.scope = scope;
		if (deletions) state.deletedCursor = deletions.cursor;
		else delete state.deletedCursor;
		state.cursor = collected.cursor;
		if (settings.fullImport) state.fullImport = progress ?? before;
		else delete state.fullImport;
		const deleted = deletions?.records ?? [];
		if (collected.records.length === 0 && deleted.length === 0) return null;
		return [
			[
				...toItems(
					{ crm, kind: kinds.kind, settings, map, plan, listedFrom: start },
					collected.records,
					changeCalls,
					progress ? importProgressText(progress) : undefined,
				),
				...deletionItems(crm, kinds.kind, deleted, provider.usage().calls - changeCalls),
			],
		];
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	}
}
