/**
 * In-memory stand-in for n8n's processed-items database table, so node tests can run
 * `this.helpers.checkProcessedAndRecord` through n8n-core's real DataDeduplicationService.
 * Only the `entries` mode is implemented: it is the one the pack uses.
 */
import type {
	DeduplicationItemTypes,
	DeduplicationScope,
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	IDataDeduplicator,
	IDeduplicationOutput,
} from 'n8n-workflow';

export class InMemoryDeduplicator implements IDataDeduplicator {
	private readonly stores = new Map<string, Set<string>>();

	private store(scope: DeduplicationScope, context: ICheckProcessedContextData, options: ICheckProcessedOptions) {
		if (options.mode !== 'entries') throw new Error(`harness deduplicator supports mode "entries" only, got ${options.mode}`);
		const key = scope === 'node' ? `${context.workflow.id}:${context.node?.name ?? ''}` : context.workflow.id;
		let set = this.stores.get(key);
		if (!set) this.stores.set(key, (set = new Set()));
		return set;
	}

	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		context: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		const set = this.store(scope, context, options);
		const result: IDeduplicationOutput = { new: [], processed: [] };
		for (const item of items) {
			const key = String(item);
			if (set.has(key)) result.processed.push(item);
			else {
				set.add(key);
				result.new.push(item);
			}
		}
		return result;
	}

	async removeProcessed(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		context: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<void> {
		const set = this.store(scope, context, options);
		for (const item of items) set.delete(String(item));
	}

	async clearAllProcessedItems(
		scope: DeduplicationScope,
		context: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<void> {
		this.store(scope, context, options).clear();
	}

	async getProcessedDataCount(
		scope: DeduplicationScope,
		context: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<number> {
		return this.store(scope, context, options).size;
	}

	/** Forget everything (between tests). */
	reset(): void {
		this.stores.clear();
	}
}
