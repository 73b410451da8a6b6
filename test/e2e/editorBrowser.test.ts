/**
 * The editor as a person sees it: a real Chromium signs in to a real n8n with the built pack,
 * the sandbox credentials and every template, and checks what the REST-level editor test cannot
 * see — every template's canvas renders every node with no issue badge on any node, each of
 * the pack's nodes opens its parameter panel with its credential chosen and its load-options /
 * resource-mapper calls answered 200, no console error names the pack, and the node picker
 * finds the Qualification Gate by the words a user types.
 *
 * CRM_SYNC_SCREENSHOTS=1 also writes the README's screenshots (each canvas, each node's panel,
 * the picker) to workflows-templates/screenshots/; a normal run only asserts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Browser, Page } from 'playwright-core';

import { sessionGet } from '../../scripts/runtime/n8nApi';
import { packNodeTypeNames } from '../../scripts/runtime/packInfo';
import {
	withCredentials,
	type WorkflowNode,
	type WorkflowTemplate,
} from '../../scripts/runtime/workflows';
import { chromiumPath, launchChromium, signIn, watchEditor, type EditorWatch } from './browser';
import {
	CRM_AUTH,
	REPO_ROOT,
	startE2eStack,
	STACK_START_TIMEOUT_MS,
	type E2eStack,
	type WriterCrm,
} from './harness';

const PACK = 'n8n-nodes-crm-sync';
const STICKY = 'n8n-nodes-base.stickyNote';
const SCREENSHOTS = process.env.CRM_SYNC_SCREENSHOTS === '1';
const SCREENSHOT_DIR = join(REPO_ROOT, 'workflows-templates', 'screenshots');
/** Selector and event waits: generous, the machine is a shared 2-core box. */
const WAIT_MS = 90_000;

/**
 * The editor calls each node's own methods when its panel opens, as the template sets it up:
 * these calls (endpoint + method) must be among them. The panel may make more (a field list
 * asked once the mapper's fields are known); every one must answer 200.
 */
const PANEL_CALLS: Record<string, string[]> = {
	crmContactFieldMerge: ['resource-mapper-fields getMergeFields'],
	crmSyncTrigger: ['options getSyncFields'],
	crmMeetingWriter: ['options getMeetingTypes'],
};

let stack: E2eStack;
let browser: Browser;
let page: Page;
let watch: EditorWatch;
/** The pack's node types (short names, e.g. `crmLink`) and their display names. */
let packNodes: Map<string, string>;
let packPattern: RegExp;

beforeAll(async () => {
	chromiumPath(); // a missing browser fails here, before the stack's minute-long start
	stack = await startE2eStack();
	const nodeTypes = await sessionGet<Array<{ name: string; displayName: string }>>(
		stack.session,
		'/types/nodes.json',
	);
	packNodes = new Map(
		packNodeTypeNames(REPO_ROOT).map((name) => [
			name,
			nodeTypes.find((type) => type.name === `${PACK}.${name}`)?.displayName ?? name,
		]),
	);
	const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	packPattern = new RegExp(
		['crm-sync', 'crmsync', ...packNodes.keys(), ...packNodes.values()].map(escape).join('|'),
		'i',
	);
	browser = await launchChromium();
	page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
	page.setDefaultTimeout(WAIT_MS);
	// Leaving a workflow the editor thinks changed asks first; the test changes nothing, so leave.
	page.on('dialog', (dialog) => void dialog.accept());
	watch = watchEditor(page);
	await signIn(page, stack.n8n.baseUrl);
}, STACK_START_TIMEOUT_MS);

afterAll(async () => {
	await browser?.close();
	await stack?.teardown();
});

const shortType = (type: string): string | undefined =>
	type.startsWith(`${PACK}.`) ? type.slice(PACK.length + 1) : undefined;

/**
 * n8n probes every node type for optional static output schemas (`/schemas/<type>/<version>.json`)
 * and falls back to the run data when there is none; the pack ships none, so the probe's 404 is
 * the editor's normal path, not a fault of the pack.
 */
const SCHEMA_PROBE = /404.*\/schemas\/n8n-nodes-crm-sync\.[A-Za-z]+\/[\d.]+(\/[^/)\s]+)?\.json\)$/s;

/** Console errors since `from` that name the pack. */
function packConsoleErrors(from: number): string[] {
	return watch.consoleErrors
		.slice(from)
		.filter((line) => packPattern.test(line) && !SCHEMA_PROBE.test(line));
}

/** Waits until every dynamic-parameter request the page sent has its answer. */
async function dynamicCallsSettled(): Promise<void> {
	const deadline = Date.now() + WAIT_MS;
	while (watch.inFlight > 0) {
		if (Date.now() > deadline)
			throw new Error(`${watch.inFlight} dynamic-parameter request(s) still unanswered`);
		await page
			.waitForEvent('requestfinished', { timeout: Math.max(1, deadline - Date.now()) })
			.catch(() => undefined);
	}
}

async function openWorkflow(id: string, template: WorkflowTemplate): Promise<void> {
	// Leaving the page would cancel a request still on its way, hiding how it would have ended.
	await dynamicCallsSettled();
	await page.goto(`${stack.n8n.baseUrl}/workflow/${id}`);
	const expected = template.nodes.filter((node) => node.type !== STICKY).length;
	// Evaluated in the page (the test's own TypeScript has no DOM types).
	await page.waitForFunction(
		`document.querySelectorAll('[data-test-id=canvas-node]').length === ${expected}`,
	);
	await page.waitForLoadState('networkidle');
}

/** The "production checklist" pop-over n8n shows over a published workflow hides part of the canvas. */
async function closePopovers(): Promise<void> {
	const close = page.locator('[data-test-id=suggested-actions-close]');
	if (await close.isVisible()) await close.click();
	await page.mouse.move(1, 799);
}

async function screenshot(name: string): Promise<void> {
	if (!SCREENSHOTS) return;
	await closePopovers();
	await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

const kebab = (name: string): string => name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();

/** Template files in the order the suite opens them; each pack node type's panel is opened in the first file that has it. */
const TEMPLATE_FILES = readdirSync(join(REPO_ROOT, 'workflows-templates'))
	.filter((file) => file.endsWith('.json'))
	.sort();
const readTemplate = (file: string): WorkflowTemplate =>
	JSON.parse(
		readFileSync(join(REPO_ROOT, 'workflows-templates', file), 'utf8'),
	) as WorkflowTemplate;
/** The pack node types whose panels were opened (and checked) so far. */
const opened: string[] = [];

test.each(TEMPLATE_FILES)(
	"%s: every node on the canvas, no issue badge, each new pack node's panel with its credential and options",
	async (file) => {
		const template = readTemplate(file);
		const imported = stack.workflows.find((workflow) => workflow.file === file);
		expect({ file, imported: imported !== undefined }).toEqual({ file, imported: true });
		const consoleFrom = watch.consoleErrors.length;
		const callsFrom = watch.dynamicCalls.length;
		const failedFrom = watch.failedRequests.length;
		await openWorkflow(imported!.id, template);

		const expected = template.nodes
			.filter((node) => node.type !== STICKY)
			.map((node) => node.name)
			.sort();
		const rendered = (
			await page
				.locator('[data-test-id=canvas-node]')
				.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-node-name') ?? ''))
		).sort();
		expect({ file, rendered }).toEqual({ file, rendered: expected });
		const stickies = template.nodes.filter((node) => node.type === STICKY).length;
		await expect(page.locator('[data-test-id=sticky]').count()).resolves.toBe(stickies);

		// Issue badges (parameter issues, a missing credential) and "parameters changed" warnings.
		const flagged = await page
			.locator('[data-test-id=canvas-node]')
			.filter({
				has: page.locator('[data-test-id=node-issues], [data-test-id=canvas-node-status-warning]'),
			})
			.evaluateAll((nodes) =>
				nodes.map(
					(node) =>
						`${node.getAttribute('data-node-type')}: ${node.getAttribute('data-node-name')}`,
				),
			);
		// The templates ship complete, so no node at all may carry one (a pack node's included).
		expect({ file, flagged }).toEqual({ file, flagged: [] });
		expect({ file, consoleErrors: packConsoleErrors(consoleFrom) }).toEqual({
			file,
			consoleErrors: [],
		});
		await screenshot(file.replace(/\.json$/, ''));

		for (const node of template.nodes) {
			const type = shortType(node.type);
			if (type === undefined || opened.includes(type)) continue;
			expect({ type, packNode: packNodes.has(type) }).toEqual({ type, packNode: true });
			await checkPanel(file, node, type);
			opened.push(type);
		}
		await dynamicCallsSettled();
		expect({ file, failed: watch.failedRequests.slice(failedFrom) }).toEqual({ file, failed: [] });
		const notOk = watch.dynamicCalls.slice(callsFrom).filter((call) => call.status !== 200);
		expect({ file, notOk }).toEqual({ file, notOk: [] });
	},
);

/**
 * Pack nodes no template uses yet, with the parameters that point them at the stack's sandbox
 * credentials; each opens in a workflow of its own. A new node missing from both the templates
 * and this list fails the suite.
 */
const WITHOUT_TEMPLATE: Record<string, { parameters: Record<string, unknown>; crms: WriterCrm[] }> =
	{};

test('each pack node no template uses yet opens in a workflow of its own, with its credentials', async () => {
	const unused = [...packNodes.keys()].filter((type) => !opened.includes(type)).sort();
	expect(unused).toEqual(Object.keys(WITHOUT_TEMPLATE).sort());
	for (const type of unused) {
		const { parameters, crms } = WITHOUT_TEMPLATE[type];
		const node: WorkflowNode = {
			id: `scratch-${type}`,
			name: packNodes.get(type) ?? type,
			type: `${PACK}.${type}`,
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				...parameters,
				...Object.fromEntries(crms.map((crm) => [CRM_AUTH[crm].parameter, CRM_AUTH[crm].mode])),
			},
			credentials: Object.fromEntries(
				crms.map((crm) => [CRM_AUTH[crm].credential, { id: '', name: '' }]),
			),
		};
		const { template } = withCredentials(
			{ name: `Editor check: ${node.name}`, nodes: [node], connections: {} },
			stack.credentials,
		);
		const saved = await stack.api.request<{ id: string }>('POST', '/workflows', {
			...template,
			settings: { executionOrder: 'v1' },
		});
		await openWorkflow(saved.id, template);
		await checkPanel(`${type} (no template yet)`, template.nodes[0], type);
		opened.push(type);
	}
});

test("every one of the pack's nodes had its parameter panel opened", () => {
	expect([...opened].sort()).toEqual([...packNodes.keys()].sort());
	expect(opened).toHaveLength(11);
});

/** Opens one node's panel from the canvas and checks its credential, its own calls, its issues. */
async function checkPanel(file: string, node: WorkflowNode, type: string): Promise<void> {
	const where = `${file} / ${node.name}`;
	const callsFrom = watch.dynamicCalls.length;
	const failedFrom = watch.failedRequests.length;
	const consoleFrom = watch.consoleErrors.length;

	await page.locator(`[data-test-id=canvas-node][data-node-name="${node.name}"]`).dblclick();
	const panel = page.locator('[data-test-id=ndv]');
	await panel.locator('[data-test-id=node-parameters]').waitFor();

	// The credentials the stack gave the workflow are the ones chosen in the panel (a node
	// between two CRMs shows one select per CRM).
	const expectedCredentials = Object.keys(node.credentials ?? {}).map((credentialType) => {
		const credential = stack.credentials[credentialType];
		expect({ where, credentialType, created: credential !== undefined }).toEqual({
			where,
			credentialType,
			created: true,
		});
		return credential.name;
	});
	if (expectedCredentials.length > 0) {
		const selects = panel.locator('[data-test-id=node-credentials-select] input');
		await selects.nth(expectedCredentials.length - 1).waitFor();
		await expect(selects.count()).resolves.toBe(expectedCredentials.length);
		const chosen = await selects.evaluateAll((inputs) =>
			inputs.map((input) => (input as unknown as { value: string }).value),
		);
		expect({ where, chosen: chosen.sort() }).toEqual({
			where,
			chosen: [...expectedCredentials].sort(),
		});
	}

	// Its own load-options / resource-mapper methods, each answered 200.
	const expectedCalls = PANEL_CALLS[type] ?? [];
	const callsOfNode = (): string[] =>
		watch.dynamicCalls
			.slice(callsFrom)
			.filter((call) => call.nodeType === node.type)
			.map((call) => `${call.endpoint} ${call.method}`);
	await waitUntil(
		() => expectedCalls.every((call) => callsOfNode().includes(call)),
		`${where}: ${expectedCalls.join(', ')}`,
	);
	await page.waitForLoadState('networkidle');
	await dynamicCallsSettled();
	const calls = callsOfNode();
	expect({ where, missing: expectedCalls.filter((call) => !calls.includes(call)) }).toEqual({
		where,
		missing: [],
	});
	const notOk = watch.dynamicCalls.slice(callsFrom).filter((call) => call.status !== 200);
	expect({ where, notOk }).toEqual({ where, notOk: [] });
	expect({ where, failed: watch.failedRequests.slice(failedFrom) }).toEqual({ where, failed: [] });
	await expect(panel.locator('[data-test-id=parameter-issues]').count()).resolves.toBe(0);
	expect({ where, consoleErrors: packConsoleErrors(consoleFrom) }).toEqual({
		where,
		consoleErrors: [],
	});

	await screenshot(`${kebab(type)}-panel`);
	await panel.locator('[data-test-id=ndv-close-button]').click();
	await panel.waitFor({ state: 'hidden' });
}

test('the node picker finds CRM Qualification Gate by "lead", "qualif", "CRM" and "Qualification"', async () => {
	const file = 'call-processed-to-crm.json';
	const imported = stack.workflows.find((workflow) => workflow.file === file)!;
	await openWorkflow(imported.id, readTemplate(file));
	await page.locator('[data-test-id=node-creator-plus-button]').click();
	const search = page.locator('[data-test-id=node-creator-search-bar]');
	const gate = page
		.locator('[data-test-id=node-creator-node-item]')
		.filter({ has: page.getByText('CRM Qualification Gate', { exact: true }) });
	for (const words of ['lead', 'qualif', 'CRM', 'Qualification']) {
		// Cleared first, so the Gate found for the previous words cannot count for these.
		await search.fill('');
		await gate.waitFor({ state: 'detached' });
		await search.fill(words);
		await gate.first().waitFor({ state: 'visible' });
		await expect(gate.count()).resolves.toBe(1);
		if (words === 'CRM') await screenshot('node-picker');
	}
});

async function waitUntil(condition: () => boolean, what: string): Promise<void> {
	const deadline = Date.now() + WAIT_MS;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await page.waitForResponse((response) => response.url().includes('/rest/'), {
			timeout: Math.max(1, deadline - Date.now()),
		});
	}
}
