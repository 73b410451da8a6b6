/**
 * Growth: the same bulk upsert at 1k, 10k and 100k records (`BENCH_GROWTH`) on each CRM with a
 * batch API, against a sandbox without rate limits (the limit is measured elsewhere). API calls
 * must grow exactly with the record count / batch size, and time about linearly: the rows give
 * calls and milliseconds per 1,000 records, and the note compares the largest size with the
 * smallest.
 */
import { profileOf } from '../../nodes/shared/providers/profiles';
import { startSandbox, type VendorName } from '../sandbox/server';
import { OBJECT, providerFor, tokenFrom, writes } from './sandboxProviders';

export interface GrowthRow {
	scenario: string;
	crm: string;
	records: number;
	apiCalls: number;
	physicalMinimum: number;
	perItemPattern: number;
	wallMs: number;
	callsPer1k: number;
	msPer1k: number;
	note: string;
}

const CRMS: VendorName[] = ['hubspot', 'salesforce', 'dynamics'];

export async function growthRows(sizes: number[]): Promise<GrowthRow[]> {
	const rows: GrowthRow[] = [];
	const sandbox = await startSandbox({
		port: 0,
		seed: false,
		mail: false,
		rateLimits: { hubspot: false, autochat: false, dynamics: false, salesforce: false },
	});
	try {
		for (const crm of CRMS) {
			const first = rows.length;
			for (const records of sizes) {
				sandbox.admin.reset();
				const tokens =
					crm === 'salesforce' || crm === 'dynamics' ? await tokenFrom(sandbox, crm) : undefined;
				const provider = providerFor(crm, sandbox, tokens);
				sandbox.admin.clearRequests();
				const start = performance.now();
				const results = await provider.upsertRecords(OBJECT[crm], writes(crm, records, 0));
				const wallMs = performance.now() - start;
				const apiCalls = sandbox.admin
					.requests(crm)
					.filter((request) => !request.path.includes('/token')).length;
				const failed = results.filter((result) => !result.ok).length;
				rows.push({
					scenario: 'growth: bulk upsert',
					crm,
					records,
					apiCalls,
					physicalMinimum: Math.ceil(records / provider.profile.writeBatchSize),
					perItemPattern: records,
					wallMs: Math.round(wallMs),
					callsPer1k: Math.round((apiCalls / records) * 1000 * 100) / 100,
					msPer1k: Math.round((wallMs / records) * 1000),
					note: `${failed} failed`,
				});
			}
			const measured = rows.slice(first);
			const smallest = measured[0];
			const largest = measured[measured.length - 1];
			largest.note += `; ×${largest.records / smallest.records} records: calls ×${(largest.apiCalls / smallest.apiCalls).toFixed(1)}, time ×${(largest.wallMs / Math.max(1, smallest.wallMs)).toFixed(1)} (time per 1k ${smallest.msPer1k} → ${largest.msPer1k} ms)`;
			// The pack keeps to the CRM's documented limit even where the sandbox has none: beyond
			// one window's worth of calls, that limit — not the pack — sets the time.
			const { requests, windowMs } = profileOf(crm).rateLimit;
			for (const row of measured) {
				const floorMs = Math.max(0, Math.ceil(row.apiCalls / requests) - 1) * windowMs;
				if (floorMs > 0)
					row.note += `; the CRM's ${requests} requests / ${windowMs / 1000} s allow it no faster than ${Math.round(floorMs / 1000)} s`;
			}
		}
	} finally {
		sandbox.admin.reset();
		await sandbox.close();
	}
	return rows;
}
