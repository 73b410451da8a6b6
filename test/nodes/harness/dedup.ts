/**
 * In-memory stand-in for n8n's processed-items database table, so node tests can run
 * `this.helpers.checkProcessedAndRecord` through n8n-core's real DataDeduplicationService.
 * Only the `entries` mode is implemented: it is the one the pack uses.
 *
 * It behaves like n8n 2.41's DeduplicationHelper, races included: each call reads the
 * scope's entry list, yields (the database round trip), then writes its changed copy back
 * with no lock, and `maxEntries` drops the oldest entries. Concurrent callers that do not
 * serialise their access lose each other's entries here exactly as they do in n8n.
 */
import type {
	DeduplicationItemTypes,
	DeduplicationScope,
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	IDataDeduplicator,
	IDeduplicationOutput,
} from 'n8n-workflow';

const roundTrip = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class InMemoryDeduplicator implements IDataDeduplicator {
	private readonly rows = new Map<string, string[]>();

	private key(
		scope: DeduplicationScope,
		context: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): string {
		if (options.mode !== 'entries')
			throw new Error(`harness deduplicator supports mode "entries" only, got ${options.mode}`);
		return scope === 'node'
			? `${context.workflow.id}:${context.node?.id ?? context.node?.name ?? ''}`
			: String(context.workflow.id);
	}

	/** Reads the row as the database would: a copy, after a round trip. */
	private async read(key: string): Promise<string[]> {
		const row = [...(this.rows.get(key) ?? [])];
		await roundTrip();
		return row;
	}

	private async write(key: string, row: string[], maxEntries: number | undefined): Promise<void> {
		if (maxEntries) row.splice(0, Math.max(0, row.length - maxEntries));
		await roundTrip();
		this.rows.set(key, row);
	}

	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		context: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		const key = this.key(scope, context, options);
		const row = await this.read(key);
		const seen = new Set(row);
		const result: IDeduplicationOutput = { new: [], processed: [] };
		for (const item of items) {
			const value = String(item);
			if (seen.has(value)) result.processed.push(item);
			else {
				row.push(value);
				seen.add(value);
				result.new.push(item);
			}
		}
		await this.write(key, row, options.maxEntries);
		return result;
	}

	async removeProcessed(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		context: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<void> {
		const key = this.key(scope, context, options);
		const gone = new Set(items.map(String));
		const row = (await this.read(key)).filter((value) => !gone.has(value));
		await this.write(key, row, undefined);
	}

	async clearAllProcessedItems(
		scope: DeduplicationScope,
		context: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<void> {
		this.rows.delete(this.key(scope, context, options));
	}

	async getProcessedDataCount(
		scope: DeduplicationScope,
		context: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<number> {
		return (await this.read(this.key(scope, context, options))).length;
	}

	/** Forget everything (between tests). */
	reset(): void {
		this.rows.clear();
	}

	/** Entries of every scope (for assertions). */
	entryCount(): number {
		return [...this.rows.values()].reduce((sum, row) => sum + row.length, 0);
	}
}
