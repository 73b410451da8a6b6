/**
 * One poll of the CRM Sync Trigger: records created or updated since the stored cursor,
 * normalised to the neutral contact shape, or `null` when nothing changed. A manual test
 * returns a recent sample, shows where the polls stand and leaves the cursor alone. A full
 * import keeps its progress next to the cursor and reports it in the sync log.
 */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { normalizeContact, propertiesToRead, type ContactFieldMap } from './logic/contactNormalize';
import {
	advanceImport,
	importProgressText,
	readImportProgress,
	type ImportProgress,
} from './logic/fullImport';
import { readCursor, startCursor, type PollCursor } from './logic/pollCursor';
import type { CrmName } from '../shared/model';
import { shareCalls, syncLog } from '../shared/node/syncLog';
import type { RecordData } from '../shared/providers/CrmProvider';
import { connectProvider, selectedCrm } from '../shared/providers/connect';
import { toNodeError } from '../shared/transport/nodeErrors';
import { attributeFields, attributePlanFor, attributesOf, type AttributePlan } from './attributes';
import { collectChanges, collectSample, type ListingRequest } from './collect';
import { fieldMapFor } from './fieldMap';
import { pollSegment, type SegmentTriggerState } from './segmentPoll';
import { readSettings, type SyncTriggerSettings } from './settings';

/** What the trigger keeps in the node's workflow static data. */
interface TriggerState extends SegmentTriggerState {
	/** CRM + object + filter + first-poll bound + start-over key the cursor belongs to; a change of any restarts. */
	scope?: string;
	cursor?: PollCursor;
	/** Only while (and once) a full import runs. */
	fullImport?: ImportProgress;
}

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
	crm: CrmName,
	records: RecordData[],
	map: ContactFieldMap,
	plan: AttributePlan,
	settings: SyncTriggerSettings,
	apiCalls: number,
	reason?: string,
): INodeExecutionData[] {
	const calls = shareCalls(apiCalls, records.length);
	return records.map((record, index) => {
		const contact = normalizeContact(record, map, {
			defaultCountry: settings.defaultCountry,
			extraFields: settings.extraFields,
		});
		const entry = syncLog(crm, 'poll', 'success', {
			apiCalls: calls[index],
			target: { type: record.objectType, id: record.id },
			reason,
		});
		return {
			json: {
				...(contact as unknown as IDataObject),
				...attributesOf(record, plan),
				syncLog: [entry],
			},
		};
	});
}

export async function pollCrmSync(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const startedAt = Date.now();
	try {
		const crm = selectedCrm(this);
		const settings = readSettings(this, crm, startedAt);
		const { provider } = await connectProvider(this, crm);
		const map = await fieldMapFor(provider, crm, settings.objectType, settings.doNotCallField);
		const plan = await attributePlanFor(provider, crm, settings.objectType, settings.attributes);
		const budget = pollBudgetMs(this);
		const outOfTime = () => budget !== undefined && Date.now() - startedAt >= budget * BUDGET_SHARE;
		if (settings.segment) {
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
			properties: propertiesToRead(map, [...settings.extraFields, ...attributeFields(plan)]),
			filter: settings.filter,
			pageSize: settings.pageSize,
		};

		const state = this.getWorkflowStaticData('node') as TriggerState;
		const scope = scopeOf(crm, settings);
		if (this.getMode() === 'manual') {
			const sample = await collectSample(provider, request, startedAt, settings.sampleSize);
			if (sample.length === 0) return null;
			const standing = pollState(state, scope, settings);
			const items = toItems(
				crm,
				sample,
				map,
				plan,
				settings,
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
		// Mutate the object n8n handed out: that is what it stores after the poll.
		state.scope = scope;
		state.cursor = collected.cursor;
		if (settings.fullImport) state.fullImport = progress ?? before;
		else delete state.fullImport;
		if (collected.records.length === 0) return null;
		return [
			toItems(
				crm,
				collected.records,
				map,
				plan,
				settings,
				provider.usage().calls,
				progress ? importProgressText(progress) : undefined,
			),
		];
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	}
}
