/**
 * The e2e harness: the same start-up code as `npm start` (scripts/runtime), headless, with
 * random ports and a throwaway user folder under the OS temp dir. One stack per test file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startStack, type Stack } from '../../scripts/runtime/stack';

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

export interface E2eStackOptions {
	sandbox?: boolean;
	/** Which committed n8n runtime (default the current n8n). */
	runtime?: string;
	/** Templates folder to import (default all of workflows-templates/; false = none). */
	templatesDir?: string | false;
	/** A throwaway user folder prepared by the test (deleted by teardown); default a new one. */
	userFolder?: string;
	/** The pack is already installed in that user folder; do not link the repo's build. */
	packInstalled?: boolean;
	/** Create the templates' Data Tables (default true). */
	dataTables?: boolean;
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
			dataTables: options.dataTables,
			// Progress is kept quiet in test output (E2E_LOG=1 prints it); it is in <userFolder>/n8n.log and the install log.
			log: (line) => void (process.env.E2E_LOG === '1' ? process.stderr.write(line + '\n') : lines.push(line)),
		});
		const teardown = async (): Promise<void> => {
			await stack.stop();
			if (process.env.E2E_KEEP !== '1') await rm(userFolder, { recursive: true, force: true });
		};
		return { ...stack, userFolder, teardown };
	} catch (error) {
		throw new Error(`e2e stack did not start (user folder ${userFolder}):\n${lines.slice(-20).join('\n')}\n${(error as Error).message}`);
	}
}

/** The header the templates' webhooks require (their Header Auth credential), as fetch headers. */
export function secretHeader(stack: Pick<E2eStack, 'webhookAuth'>): Record<string, string> {
	return { [stack.webhookAuth.header]: stack.webhookAuth.value };
}

/** POSTs JSON to a production webhook and returns status, headers and the parsed body. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown; headers: Headers }> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(60_000),
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
