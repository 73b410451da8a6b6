/**
 * Peak memory of one 10,000-item CRM Contact Field Merge run (`BENCH_MERGE_ITEMS`) through
 * n8n's engine on HubSpot: new contacts matched by e-mail, created in batches. The run happens
 * in a child process so its peak resident memory (`maxRSS`) is the run's own, not the
 * bench's; the sandbox serving it stays in the parent.
 */
import { fork } from 'node:child_process';

import { CrmContactFieldMerge } from '../../nodes/CrmContactFieldMerge/CrmContactFieldMerge.node';
import {
	addSandboxCredentials,
	packHarness,
	SANDBOX_AUTH,
	singleNodeWorkflow,
} from '../nodes/support/packHarness';
import { startSandbox } from '../sandbox/server';

export interface MemoryRow {
	scenario: string;
	crm: string;
	records: number;
	apiCalls: number;
	physicalMinimum: number;
	perItemPattern: number;
	wallMs: number;
	peakRssMb: number;
	peakHeapMb: number;
	note: string;
}

interface ChildReport {
	wallMs: number;
	baselineRssMb: number;
	peakRssMb: number;
	peakHeapMb: number;
	written: number;
	failed: number;
}

const MB = 1024 * 1024;

/** In the child: run the merge against the sandbox at `url`, report on stdout as one JSON line. */
async function runInChild(url: string, items: number): Promise<void> {
	const harness = packHarness({ crmContactFieldMerge: new CrmContactFieldMerge() });
	const credentials = addSandboxCredentials(harness, url);
	const input = Array.from({ length: items }, (_, i) => ({
		email: `merge.${i}@memory.example`,
		name: `Memory Contact ${i}`,
		title: i % 2 === 0 ? 'Fleet manager' : 'Driver',
	}));
	const workflow = singleNodeWorkflow(
		'Field Merge',
		'crmContactFieldMerge',
		{
			...SANDBOX_AUTH.hubspot,
			objectKind: 'contact',
			matchBy: 'email',
			matchValue: '={{ $json.email }}',
			fallBackToOtherKey: false,
			fields: {
				mappingMode: 'defineBelow',
				value: {
					email: '={{ $json.email }}',
					firstname: "={{ $json.name.split(' ')[0] }}",
					lastname: "={{ $json.name.split(' ').slice(1).join(' ') }}",
					jobtitle: '={{ $json.title }}',
				},
				matchingColumns: [],
				schema: [],
				attemptToConvertTypes: false,
				convertFieldsToString: false,
			},
			defaultMode: 'fillIfEmpty',
			createIfMissing: true,
		},
		input,
		credentials,
		{ onError: 'continueErrorOutput' },
	);
	const baselineRss = process.memoryUsage().rss;
	let peakHeap = process.memoryUsage().heapUsed;
	const sampler = setInterval(() => {
		peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
	}, 20);
	const start = performance.now();
	const run = await harness.run(workflow);
	const wallMs = performance.now() - start;
	clearInterval(sampler);
	const error = run.error('Field Merge');
	if (error) throw error;
	peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
	const report: ChildReport = {
		wallMs: Math.round(wallMs),
		baselineRssMb: Math.round(baselineRss / MB),
		peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
		peakHeapMb: Math.round(peakHeap / MB),
		written: run.output('Field Merge')[0]?.length ?? 0,
		failed: run.output('Field Merge')[1]?.length ?? 0,
	};
	process.stdout.write(`${JSON.stringify(report)}\n`);
}

export async function fieldMergeMemory(items: number): Promise<MemoryRow> {
	const sandbox = await startSandbox({
		port: 0,
		seed: false,
		mail: false,
		rateLimits: { hubspot: false },
	});
	try {
		const child = fork(__filename, ['--child', sandbox.url, String(items)], {
			stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
		});
		let out = '';
		child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
		const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
		const line = out.trim().split('\n').at(-1) ?? '';
		if (code !== 0 || !line.startsWith('{'))
			throw new Error(`the Field Merge memory run exited with ${code}: ${out.slice(-300)}`);
		const report = JSON.parse(line) as ChildReport;
		const apiCalls = sandbox.admin.requests('hubspot').length;
		const created = sandbox.store.list('hubspot', 'contacts').length;
		return {
			scenario: 'Field Merge run: peak memory',
			crm: 'hubspot',
			records: items,
			apiCalls,
			physicalMinimum: 2 * Math.ceil(items / 100),
			perItemPattern: 2 * items,
			wallMs: report.wallMs,
			peakRssMb: report.peakRssMb,
			peakHeapMb: report.peakHeapMb,
			note: `peak RSS ${report.peakRssMb} MB (process at start ${report.baselineRssMb} MB), peak heap ${report.peakHeapMb} MB; ${report.written} items out, ${report.failed} failed, ${created} contacts in the CRM`,
		};
	} finally {
		await sandbox.close();
	}
}

if (process.argv[2] === '--child') {
	runInChild(process.argv[3], Number(process.argv[4])).then(
		() => process.exit(0),
		(error: unknown) => {
			console.error(error);
			process.exit(1);
		},
	);
}
