/**
 * `npm run bench:queue`: how many 429s the CRM sees when several queue-mode workers share one
 * HubSpot credential (the sandbox enforces HubSpot's 100 requests / 10 s), before and after
 * the shared limit: for 1, 2 and 4 workers, each run once with every worker limiting on its
 * own (`CRM_SYNC_COORDINATION=local`, how the pack behaved before) and once with the limit
 * shared through Redis. Every run sends the same number of processed calls over the webhook
 * processor to the call-processed template (HubSpot). Results: bench-results/queue-rate-limits.json.
 * Options (environment): BENCH_CALLS (default 60), BENCH_CONCURRENCY (default 20), BENCH_WORKERS (default "1,2,4").
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { SandboxHandle } from '../test/sandbox/server';
import { startQueueStack, type QueueStack, type QueueWorker } from './runtime/queueStack';
import { findRepoRoot } from './runtime/repoRoot';
import { realSleep } from './runtime/waitFor';

interface RunResult {
	workers: number;
	limit: 'per worker (before)' | 'shared through Redis (after)';
	calls: number;
	failedCalls: number;
	hubspotRequests: number;
	answered429: number;
	seconds: number;
}

const say = (line: string): void => void process.stdout.write(`${line}\n`);

function numberFrom(name: string, fallback: number): number {
	const raw = process.env[name];
	const value = raw === undefined || raw === '' ? fallback : Number(raw);
	if (!Number.isInteger(value) || value < 1)
		throw new Error(`${name} must be a whole number ≥ 1, got "${raw}"`);
	return value;
}

const call = (id: string) => ({
	id,
	startedAt: '2026-11-20T14:00:00Z',
	endedAt: '2026-11-20T14:25:00Z',
	direction: 'outbound',
	participants: [
		{ name: 'Sam Seller', email: 'sam@ours.example', internal: true },
		{ name: 'Alice Nguyen', phone: '+1 415 555 0101', email: 'alice.nguyen@acme.example' },
	],
	summary: `Rate-limit bench (${id}).`,
	actionItems: [{ text: `Follow up (${id})` }],
});

async function runOnce(
	stack: QueueStack,
	sandbox: SandboxHandle,
	workers: number,
	shared: boolean,
	calls: number,
	concurrency: number,
): Promise<RunResult> {
	const started: QueueWorker[] = await Promise.all(
		Array.from({ length: workers }, () =>
			stack.startWorker(shared ? {} : { CRM_SYNC_COORDINATION: 'local' }),
		),
	);
	try {
		// Past the previous run's window (the sandbox's and the shared one in Redis).
		await realSleep(11_000);
		sandbox.admin.resetRateLimits();
		sandbox.admin.clearRequests();
		const url = `${stack.webhook.publicUrl.replace(/\/+$/, '')}/webhook/call-processed`;
		const tag = `${workers}-${shared ? 'shared' : 'local'}-${Date.now()}`;
		let next = 0;
		let failed = 0;
		const began = Date.now();
		await Promise.all(
			Array.from({ length: concurrency }, async () => {
				while (next < calls) {
					const index = next++;
					const response = await fetch(url, {
						method: 'POST',
						headers: {
							'content-type': 'application/json',
							[stack.webhookAuth.header]: stack.webhookAuth.value,
						},
						body: JSON.stringify(call(`bench-${tag}-${index}`)),
						signal: AbortSignal.timeout(300_000),
					}).catch(() => undefined);
					if (response?.status !== 200) failed += 1;
					await response?.text();
				}
			}),
		);
		const seconds = (Date.now() - began) / 1000;
		const requests = sandbox.admin.requests('hubspot');
		return {
			workers,
			limit: shared ? 'shared through Redis (after)' : 'per worker (before)',
			calls,
			failedCalls: failed,
			hubspotRequests: requests.length,
			answered429: requests.filter((request) => request.status === 429).length,
			seconds: Math.round(seconds * 10) / 10,
		};
	} finally {
		await Promise.all(started.map((worker) => stack.stopWorker(worker)));
	}
}

async function main(): Promise<void> {
	const repoRoot = findRepoRoot(__dirname, process.cwd());
	const calls = numberFrom('BENCH_CALLS', 60);
	const concurrency = numberFrom('BENCH_CONCURRENCY', 20);
	const counts = (process.env.BENCH_WORKERS ?? '1,2,4')
		.split(',')
		.map((part) => Number(part.trim()));
	if (counts.some((count) => !Number.isInteger(count) || count < 1))
		throw new Error(`BENCH_WORKERS must list whole numbers, got "${process.env.BENCH_WORKERS}"`);
	const rootFolder = await mkdtemp(join(tmpdir(), 'crm-sync-queue-bench-'));
	say(`starting queue mode (Redis, PostgreSQL, main, webhook processor) in ${rootFolder} ...`);
	const stack = await startQueueStack({
		repoRoot,
		rootFolder,
		workers: 0,
		log: (line) => say(`  ${line}`),
	});
	const results: RunResult[] = [];
	try {
		const sandbox = stack.sandbox!;
		for (const workers of counts) {
			for (const shared of [false, true]) {
				say(
					`${workers} worker(s), limit ${shared ? 'shared through Redis' : 'per worker'}: ${calls} calls at concurrency ${concurrency} ...`,
				);
				const result = await runOnce(stack, sandbox, workers, shared, calls, concurrency);
				say(
					`  ${result.hubspotRequests} HubSpot requests, ${result.answered429} answered 429, ${result.failedCalls} failed calls, ${result.seconds} s`,
				);
				results.push(result);
			}
		}
	} finally {
		await stack.stop();
		await rm(rootFolder, { recursive: true, force: true });
	}
	const folder = join(repoRoot, 'bench-results');
	await mkdir(folder, { recursive: true });
	const file = join(folder, 'queue-rate-limits.json');
	await writeFile(
		file,
		JSON.stringify(
			{
				at: new Date().toISOString(),
				hubspotLimit: '100 requests / 10 s',
				calls,
				concurrency,
				results,
			},
			null,
			2,
		) + '\n',
	);
	say('');
	say('workers | limit                         | HubSpot requests | 429s | failed calls | seconds');
	for (const r of results)
		say(
			`${String(r.workers).padStart(7)} | ${r.limit.padEnd(29)} | ${String(r.hubspotRequests).padStart(16)} | ${String(r.answered429).padStart(4)} | ${String(r.failedCalls).padStart(12)} | ${r.seconds}`,
		);
	say(`written to ${file}`);
}

main().catch((error: unknown) => {
	process.stderr.write(
		`bench:queue failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
	);
	process.exit(1);
});
