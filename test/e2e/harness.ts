/**
 * The e2e harness: the same start-up code as `npm start` (scripts/runtime), headless, with
 * random ports and a throwaway user folder under the OS temp dir. One stack per test file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { dataTableRowsByName, SYNC_LOGS_TABLE } from '../../scripts/runtime/dataTables';
import type { SandboxSchema } from '../../scripts/runtime/sandbox';
import { startStack, type Stack } from '../../scripts/runtime/stack';
import { waitFor } from '../../scripts/runtime/waitFor';
import { waitForPublication } from '../../scripts/runtime/workflows';
import type { VendorName } from '../sandbox/server';

export const REPO_ROOT = resolve(__dirname, '..', '..');

/** Install (once, cached) + sandbox + n8n + owner + credentials + templates: allow a cold install. */
export const STACK_START_TIMEOUT_MS = 15 * 60_000;

/**
 * Per-test timeout for e2e tests. Pass it explicitly: jest reads `testTimeout` only from the
 * top-level config, so the e2e project's own setting does not apply (the default is 5 s).
 */
export const E2E_TEST_TIMEOUT_MS = 300_000;

// Every e2e file imports this harness, so its tests get the e2e timeout even without passing it.
jest.setTimeout(E2E_TEST_TIMEOUT_MS);

export interface E2eStack extends Stack {
	userFolder: string;
	/** Stops everything and deletes the throwaway folder (kept when E2E_KEEP=1, for debugging). */
	teardown(): Promise<void>;
}

/** The test-only node pack (a scripted chat model) the AI-review tests load beside the pack; never shipped. */
export const TEST_MODEL_PACK = join(
	REPO_ROOT,
	'test',
	'e2e',
	'fixtures',
	'n8n-nodes-crm-sync-test-model',
);
export const TEST_MODEL_TYPE = 'n8n-nodes-crm-sync-test-model.testChatModel';

export interface E2eStackOptions {
	sandbox?: boolean;
	/** The org the sandbox plays (default `standard`: only the vendors' standard fields, as a real org starts). */
	sandboxSchema?: SandboxSchema;
	/** Load the test-only chat model pack beside the pack. */
	testModel?: boolean;
	/** Which committed n8n runtime (default the current n8n). */
	runtime?: string;
	/** Templates folder to import (default all of workflows-templates/; false = none). */
	templatesDir?: string | false;
	/** A throwaway user folder prepared by the test (deleted by teardown); default a new one. */
	userFolder?: string;
	/** The pack is already installed in that user folder; do not link the repo's build. */
	packInstalled?: boolean;
}

export async function startE2eStack(options: E2eStackOptions = {}): Promise<E2eStack> {
	const userFolder = options.userFolder ?? (await mkdtemp(join(tmpdir(), 'crm-sync-e2e-')));
	const lines: string[] = [];
	try {
		const stack = await startStack({
			repoRoot: REPO_ROOT,
			userFolder,
			sandbox: options.sandbox,
			runtime: options.runtime,
			templatesDir: options.templatesDir,
			packInstalled: options.packInstalled,
			sandboxSchema: options.sandboxSchema ?? 'standard',
			extraPacks: options.testModel ? [TEST_MODEL_PACK] : [],
			// Progress is kept quiet in test output (E2E_LOG=1 prints it); it is in <userFolder>/n8n.log and the install log.
			log: (line) =>
				void (process.env.E2E_LOG === '1' ? process.stderr.write(line + '\n') : lines.push(line)),
		});
		const teardown = async (): Promise<void> => {
			await stack.stop();
			if (process.env.E2E_KEEP !== '1') await rm(userFolder, { recursive: true, force: true });
		};
		return { ...stack, userFolder, teardown };
	} catch (error) {
		throw new Error(
			`e2e stack did not start (user folder ${userFolder}):\n${lines.slice(-20).join('\n')}\n${(error as Error).message}`,
		);
	}
}

/** The header the templates' webhooks require (their Header Auth credential), as fetch headers. */
export function secretHeader(stack: Pick<E2eStack, 'webhookAuth'>): Record<string, string> {
	return { [stack.webhookAuth.header]: stack.webhookAuth.value };
}

/** POSTs JSON to a production webhook and returns status, headers and the parsed body (waiting up to `timeoutMs` for the answer). */
export async function postJson(
	url: string,
	body: unknown,
	headers: Record<string, string> = {},
	timeoutMs = 60_000,
): Promise<{ status: number; json: unknown; headers: Headers }> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(timeoutMs),
	});
	const text = await response.text();
	let json: unknown = text;
	try {
		json = JSON.parse(text);
	} catch {
		// not JSON: keep the text so a failing assertion shows it
	}
	return { status: response.status, json, headers: response.headers };
}

interface SavedWorkflow {
	name: string;
	nodes: Array<{
		name: string;
		type: string;
		typeVersion: number;
		parameters: Record<string, unknown>;
		disabled?: boolean;
		[key: string]: unknown;
	}>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	active?: boolean;
}

/**
 * Changes an imported workflow the way a user does in the editor (e.g. a Settings value, a
 * connected model), saves it and, when it is active, publishes the saved version: n8n 2.x
 * keeps running the previously published version of an active workflow until then.
 */
export async function editWorkflow(
	stack: Pick<E2eStack, 'api' | 'session'>,
	workflowId: string,
	edit: (workflow: SavedWorkflow) => void,
): Promise<void> {
	const workflow = await stack.api.request<SavedWorkflow>('GET', `/workflows/${workflowId}`);
	edit(workflow);
	const saved = await stack.api.request<{ versionId: string }>('PUT', `/workflows/${workflowId}`, {
		name: workflow.name,
		nodes: workflow.nodes,
		connections: workflow.connections,
		settings: workflow.settings,
	});
	if (!workflow.active) return;
	await stack.api.request('POST', `/workflows/${workflowId}/activate`);
	await waitForPublication(stack.session, workflowId, saved.versionId);
}

/** Sets fields of a Set node (its assignments by name), as a user edits Settings. */
export function setAssignments(
	workflow: SavedWorkflow,
	node: string,
	values: Record<string, unknown>,
): void {
	const settings = workflow.nodes.find((candidate) => candidate.name === node);
	if (!settings) throw new Error(`no node "${node}" in ${workflow.name}`);
	const assignments = (
		settings.parameters.assignments as { assignments: Array<{ name: string; value: unknown }> }
	).assignments;
	for (const [name, value] of Object.entries(values)) {
		const assignment = assignments.find((candidate) => candidate.name === name);
		if (!assignment) throw new Error(`no field "${name}" in ${node}`);
		assignment.value = value;
	}
}

/** Waits until no execution of the workflow is running or waiting to start. */
export async function settleExecutions(
	stack: Pick<E2eStack, 'api'>,
	workflowId: string,
	timeoutMs = 60_000,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const running = await stack.api.request<{ data: unknown[] }>(
			'GET',
			`/executions?workflowId=${workflowId}&status=running`,
		);
		if (running.data.length === 0) return;
		if (Date.now() > deadline)
			throw new Error(`executions of ${workflowId} still running after ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

/** A row of the templates' "CRM sync logs" Data Table. */
export interface SyncLogRow {
	crm: string;
	type: string;
	client: string;
	status: string;
	/** Empty (null) on success rows. */
	error: string | null;
	/** The CRM record id, when one was written. */
	record: string | null;
	workflow: string;
}

/** The client's sync-log rows; none until a template made the table on its first run. */
export async function syncLogRows(
	stack: Pick<E2eStack, 'api'>,
	client: string,
): Promise<SyncLogRow[]> {
	return await dataTableRowsByName<SyncLogRow>(stack.api, SYNC_LOGS_TABLE.name, [
		{ columnName: 'client', condition: 'eq', value: client },
	]);
}

/** The client's first sync-log row with `status`; rows are written after the answer is sent, so it waits. */
export async function waitForSyncLogRow(
	stack: Pick<E2eStack, 'api'>,
	client: string,
	status: string,
): Promise<SyncLogRow> {
	return await waitFor(
		async () => (await syncLogRows(stack, client)).find((row) => row.status === status),
		{
			timeoutMs: 30_000,
			intervalMs: 200,
			what: `${status} sync-log row for ${client}`,
		},
	);
}

/** The CRMs the fault suites point a template's writer nodes at. */
export type WriterCrm = 'hubspot' | 'salesforce' | 'dynamics';
/** The sandbox credential each of them uses, and the node parameter that picks it. */
export const CRM_AUTH: Record<WriterCrm, { parameter: string; mode: string; credential: string }> =
	{
		hubspot: {
			parameter: 'hubspotAuthentication',
			mode: 'privateApp',
			credential: 'crmSyncHubSpotPrivateAppApi',
		},
		salesforce: {
			parameter: 'salesforceAuthentication',
			mode: 'clientCredentials',
			credential: 'crmSyncSalesforceClientCredentialsApi',
		},
		dynamics: {
			parameter: 'dynamicsAuthentication',
			mode: 'clientCredentials',
			credential: 'crmSyncDynamicsClientCredentialsApi',
		},
	};

/** Where each CRM keeps a new person the templates write (Salesforce: a Lead) in the sandbox store. */
export const PERSON_RECORD_TYPES: Record<VendorName, string> = {
	hubspot: 'contacts',
	salesforce: 'Lead',
	dynamics: 'contact',
	autochat: 'clients',
};

/** Where each CRM keeps a conversation note in the sandbox store. */
export const NOTE_RECORD_TYPES: Record<VendorName, string> = {
	hubspot: 'notes',
	salesforce: 'ContentNote',
	dynamics: 'annotation',
	autochat: 'activities',
};
