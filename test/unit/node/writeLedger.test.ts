/**
 * The write ledger on a stand-in for n8n's processed-items table that races exactly like
 * n8n 2.41's (read the row, yield, write the row back): entries of concurrent executions
 * are never lost, and each write's state follows pending → done, with crashes, rejections
 * and corrected content.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { LEDGER_CAPACITY, WriteLedger } from '../../../nodes/shared/node/writeLedger';
import { InMemoryDeduplicator } from '../../nodes/harness/dedup';

function contextFor(store: InMemoryDeduplicator, nodeId = 'node-1'): IExecuteFunctions {
	const context = { workflow: { id: 'wf-1' }, node: { id: nodeId, name: 'Writer' } } as never;
	return {
		getWorkflow: () => ({ id: 'wf-1' }),
		getNode: () => ({ id: nodeId, name: 'Writer' }),
		helpers: {
			checkProcessedAndRecord: (items: string[], scope: 'node', options: never) =>
				store.checkProcessedAndRecord(items, scope, context, options),
			removeProcessed: (items: string[], scope: 'node', options: never) =>
				store.removeProcessed(items, scope, context, options),
			getProcessedDataCount: (scope: 'node', options: never) =>
				store.getProcessedDataCount(scope, context, options),
		},
	} as unknown as IExecuteFunctions;
}

const entry = (id: string, digest = 'd1') => ({ id, digest });

describe('WriteLedger', () => {
	it('20 concurrent executions confirming distinct writes lose none of them (the raw store alone loses some)', async () => {
		const store = new InMemoryDeduplicator();
		const ledger = (): WriteLedger => new WriteLedger(contextFor(store));
		await Promise.all(
			Array.from({ length: 20 }, async (_, i) => {
				const writer = ledger();
				await writer.open([entry(`w${i}`)]);
				await writer.confirm([entry(`w${i}`)]);
			}),
		);
		const { states } = await ledger().open(Array.from({ length: 20 }, (_, i) => entry(`w${i}`)));
		expect([...states.values()].filter((state) => state === 'done')).toHaveLength(20);

		// Control: the same concurrency straight on the store drops entries.
		const raw = new InMemoryDeduplicator();
		const ctx = contextFor(raw);
		await Promise.all(
			Array.from({ length: 20 }, (_, i) =>
				ctx.helpers.checkProcessedAndRecord([`raw${i}`], 'node', { mode: 'entries' }),
			),
		);
		expect(raw.entryCount()).toBeLessThan(20);
	});

	it('new → pending; a crash before confirmation leaves it unconfirmed; confirmation makes it done; other content makes it changed', async () => {
		const ledger = new WriteLedger(contextFor(new InMemoryDeduplicator()));
		expect((await ledger.open([entry('a')])).states.get('a')).toBe('new');
		// The process died here: nothing confirmed, nothing abandoned.
		expect((await ledger.open([entry('a')])).states.get('a')).toBe('unconfirmed');
		await ledger.confirm([entry('a')]);
		expect((await ledger.open([entry('a')])).states.get('a')).toBe('done');
		expect((await ledger.open([entry('a')])).states.get('a')).toBe('done');
		expect((await ledger.open([entry('a', 'd2')])).states.get('a')).toBe('changed');
		await ledger.confirm([entry('a', 'd2')]);
		expect((await ledger.open([entry('a', 'd2')])).states.get('a')).toBe('done');
	});

	it('a rejected write is forgotten, so the next delivery writes it as new', async () => {
		const ledger = new WriteLedger(contextFor(new InMemoryDeduplicator()));
		await ledger.open([entry('b')]);
		await ledger.abandon(['b']);
		expect((await ledger.open([entry('b')])).states.get('b')).toBe('new');
	});

	it('nodes keep separate ledgers', async () => {
		const store = new InMemoryDeduplicator();
		const first = new WriteLedger(contextFor(store, 'node-1'));
		await first.open([entry('c')]);
		await first.confirm([entry('c')]);
		expect(
			(await new WriteLedger(contextFor(store, 'node-2')).open([entry('c')])).states.get('c'),
		).toBe('new');
	});

	it('says when the store may have dropped old entries (near its capacity), so new writes are looked up first', async () => {
		const store = new InMemoryDeduplicator();
		const ctx = contextFor(store);
		const ledger = new WriteLedger(ctx);
		expect((await ledger.open([entry('x')])).forgetful).toBe(false);
		const filler = Array.from({ length: LEDGER_CAPACITY }, (_, i) => `old-${i}`);
		await ctx.helpers.checkProcessedAndRecord(filler, 'node', {
			mode: 'entries',
			maxEntries: LEDGER_CAPACITY,
		});
		expect((await ledger.open([entry('y')])).forgetful).toBe(true);
	});
});
