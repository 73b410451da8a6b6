/**
 * The `npm start` runner as a user runs it (compiled, plain Node 24): it prints the editor URL,
 * the fixed local login and either a curl line or a plain "no webhook" line; Ctrl-C (SIGINT
 * to its process group, as a terminal sends it) leaves no n8n, task runner or sandbox behind;
 * a second start on the same folder logs in again instead of failing on the existing owner, and
 * its printed sample call writes the note again into that start's new, empty sandbox.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { N8nApi } from '../../scripts/runtime/n8nApi';
import { freePort } from '../../scripts/runtime/ports';
import { groupAlive } from '../../scripts/runtime/processes';
import { realSleep } from '../../scripts/runtime/waitFor';
import { readTemplates } from '../../scripts/runtime/workflows';
import { E2E_TEST_TIMEOUT_MS, REPO_ROOT } from './harness';

const NODE_24 = join(REPO_ROOT, 'node_modules', '.bin', 'node');
let demoDir: string;
let buildDir: string;

beforeAll(async () => {
	demoDir = await mkdtemp(join(tmpdir(), 'crm-sync-demo-'));
	// The same compile step as `npm start`, into a private folder inside the repo (so the
	// compiled sandbox resolves the repo's node_modules) that cannot clash with a running demo.
	await mkdir(join(REPO_ROOT, '.runner-build'), { recursive: true });
	buildDir = await mkdtemp(join(REPO_ROOT, '.runner-build', 'e2e-'));
	execFileSync(
		join(REPO_ROOT, 'node_modules', '.bin', 'tsc'),
		['-p', join(REPO_ROOT, 'scripts', 'tsconfig.json'), '--outDir', buildDir],
		{ stdio: 'pipe' },
	);
}, 120_000);

/** Demos still running after a failed test: stopped so the next test gets a free folder. */
const running: RunningDemo[] = [];

afterEach(async () => {
	for (const demo of running.splice(0)) {
		if (demo.child.exitCode === null && demo.child.signalCode === null) {
			process.kill(-demo.child.pid!, 'SIGINT');
			await new Promise((resolve) => demo.child.once('exit', resolve));
		}
	}
}, 60_000);

afterAll(async () => {
	await rm(demoDir, { recursive: true, force: true });
	await rm(buildDir, { recursive: true, force: true });
});

interface RunningDemo {
	child: ChildProcess;
	output: () => string;
	/** n8n's process group(s) for the demo folder (from `ps`), to check nothing survives. */
	n8nGroups: () => number[];
}

/** Process-group ids of the `n8n start` processes serving `userFolder` (other n8n instances may run beside). */
function n8nGroupsFor(userFolder: string): number[] {
	const lines = execFileSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' }).split('\n');
	const groups = new Set<number>();
	// The runtime lives in the user's cache (see scripts/runtime/runtimeCache.ts), so match any install.
	for (const line of lines.filter((entry) => entry.includes('/node_modules/.bin/n8n start'))) {
		const [pid, pgid] = line.trim().split(/\s+/).map(Number);
		try {
			const environment = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
			if (environment.includes(`N8N_USER_FOLDER=${userFolder}`)) groups.add(pgid);
		} catch {
			// exited meanwhile
		}
	}
	return [...groups];
}

async function startDemo(port: number): Promise<RunningDemo> {
	const child = spawn(NODE_24, [join(buildDir, 'scripts', 'start.js')], {
		cwd: REPO_ROOT,
		env: { ...process.env, NODE_ENV: '', N8N_PORT: String(port), CRM_SYNC_DEMO_DIR: demoDir },
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true, // its own group, like a terminal's foreground job
	});
	let output = '';
	let groups: number[] = [];
	const demo: RunningDemo = { child, output: () => output, n8nGroups: () => groups };
	running.push(demo); // registered at once, so afterEach stops it even if start-up fails
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
	const deadline = Date.now() + E2E_TEST_TIMEOUT_MS - 30_000;
	while (!output.includes('Press Ctrl-C to stop.')) {
		if (child.exitCode !== null) throw new Error(`npm start runner exited early:\n${output}`);
		if (Date.now() > deadline) throw new Error(`npm start runner not ready:\n${output}`);
		await realSleep(200);
	}
	groups = n8nGroupsFor(demoDir);
	return demo;
}

/** The sample call's summary opens every note it writes. */
const SAMPLE_SUMMARY = (
	JSON.parse(readFileSync(join(REPO_ROOT, 'scripts', 'demo', 'sample-call.json'), 'utf8')) as {
		summary: string;
	}
).summary;

/** HubSpot notes in the demo's sandbox that carry the sample call's summary. */
async function sampleNotes(sandboxUrl: string): Promise<unknown[]> {
	const response = await fetch(`${sandboxUrl}/__admin/records/hubspot/notes`);
	const { records } = (await response.json()) as {
		records: Array<{ fields: Record<string, unknown> }>;
	};
	return records.filter((record) =>
		String(record.fields.hs_note_body ?? '').includes(SAMPLE_SUMMARY.slice(0, 40)),
	);
}

const sandboxUrlOf = (demo: RunningDemo): string =>
	/CRM sandbox:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(demo.output())![1]!;

async function ctrlC(demo: RunningDemo): Promise<void> {
	const exited = new Promise<number | null>((resolve) =>
		demo.child.once('exit', (code) => resolve(code)),
	);
	process.kill(-demo.child.pid!, 'SIGINT');
	expect(await exited).toBe(0);
}

test(
	'npm start prints the editor, the local login and the sample-call line; Ctrl-C stops everything',
	async () => {
		const port = await freePort();
		const demo = await startDemo(port);
		const lines = demo.output().split('\n');
		expect(lines).toContain(`n8n editor:   http://localhost:${port}`);
		expect(
			lines.some(
				(line) =>
					line.startsWith('login:        demo@example.com / ') &&
					line.includes('local instance only'),
			),
		).toBe(true);
		const curl = lines.filter((line) => line.startsWith('curl '));
		const noWebhook = lines.filter(
			(line) =>
				line === 'No imported workflow has a webhook yet, so there is no sample call to send.',
		);
		expect(curl.length + noWebhook.length).toBe(1);
		const sandboxUrl = sandboxUrlOf(demo);
		expect((await fetch(`http://127.0.0.1:${port}/healthz/readiness`)).status).toBe(200);
		// The demo's n8n folder is the one asked for, outside the clone.
		expect(lines).toContain(
			`n8n folder:   ${demoDir}   (kept between starts; the CRM sandbox starts empty each time)`,
		);
		if (curl.length === 1) {
			// The printed line really works: run it as a user would, and it writes the call's note.
			expect(await sampleNotes(sandboxUrl)).toHaveLength(0);
			execFileSync('sh', ['-c', `${curl[0]} -o /dev/null -w '%{http_code}' | grep -q '^2'`], {
				stdio: 'pipe',
			});
			expect(await sampleNotes(sandboxUrl)).toHaveLength(1);
		}
		expect(demo.n8nGroups()).toHaveLength(1);

		await ctrlC(demo);
		expect(demo.output()).toContain('stopped.');
		for (const pgid of demo.n8nGroups()) expect(groupAlive(pgid)).toBe(false);
		await expect(fetch(`http://127.0.0.1:${port}/healthz/readiness`)).rejects.toThrow();
		await expect(fetch(`${sandboxUrl}/__admin/counters`)).rejects.toThrow();
	},
	E2E_TEST_TIMEOUT_MS,
);

test(
	'a second npm start on the same folder logs the owner in, replaces its sandbox credentials and updates (not duplicates) the templates',
	async () => {
		const port = await freePort();
		const demo = await startDemo(port);
		const credentialLines = demo
			.output()
			.split('\n')
			.filter((line) => line.startsWith('credential:   '));
		expect(credentialLines.length).toBeGreaterThan(0);
		expect(demo.output()).not.toMatch(/failed|Error/);
		// Through the API key the runner kept: no duplicated credentials or workflows after a restart.
		const state = JSON.parse(readFileSync(join(demoDir, 'crm-sync-runtime.json'), 'utf8')) as {
			apiKey: string;
			credentialIds: string[];
		};
		const api = new N8nApi(`http://127.0.0.1:${port}`, state.apiKey);
		const credentials = await api.list<{ id: string; type: string }>('/credentials');
		expect(credentials.map((credential) => credential.id).sort()).toEqual(
			[...state.credentialIds].sort(),
		);
		expect(new Set(credentials.map((credential) => credential.type)).size).toBe(credentials.length);
		expect(credentialLines).toHaveLength(credentials.length);
		const workflows = await api.list<{ name: string }>('/workflows');
		const templates = await readTemplates(join(REPO_ROOT, 'workflows-templates'));
		expect(workflows.map((workflow) => workflow.name).sort()).toEqual(
			templates.map(({ template }) => template.name).sort(),
		);
		// The updated workflows use the new credentials: the printed sample call still runs to success.
		// The templates include the call-processed webhook, so there is a sample call to send.
		const curl = demo
			.output()
			.split('\n')
			.find((line) => line.startsWith('curl '));
		expect(curl).toBeDefined();
		{
			const target = /Send a sample call to "(.+)":/.exec(demo.output())![1];
			const id = (await api.list<{ id: string; name: string }>('/workflows')).find(
				(workflow) => workflow.name === target,
			)!.id;
			// The first start wrote this call's note into its sandbox; this start's sandbox is new and
			// empty, and n8n forgot those writes with it, so the same call writes its note again.
			expect(await sampleNotes(sandboxUrlOf(demo))).toHaveLength(0);
			execFileSync('sh', ['-c', `${curl} -o /dev/null -w '%{http_code}' | grep -q '^2'`], {
				stdio: 'pipe',
			});
			const executions = await api.request<{ data: Array<{ status: string }> }>(
				'GET',
				`/executions?workflowId=${id}&limit=1`,
			);
			expect(executions.data.map((execution) => execution.status)).toEqual(['success']);
			expect(await sampleNotes(sandboxUrlOf(demo))).toHaveLength(1);
			expect(demo.output()).toMatch(
				/n8n's memory of \d+ earlier write\(s\) and deliveries cleared/,
			);
		}
		await ctrlC(demo);
		for (const pgid of demo.n8nGroups()) expect(groupAlive(pgid)).toBe(false);
	},
	E2E_TEST_TIMEOUT_MS,
);
