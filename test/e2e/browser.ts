/**
 * A real Chromium driving n8n's editor for the browser suite: the Debian package's browser
 * (playwright-core downloads none), signed in as the local demo owner through the sign-in form,
 * with every answer of the editor's dynamic parameter endpoints and every console error recorded.
 */
import { existsSync } from 'node:fs';

import { chromium, type Browser, type Page } from 'playwright-core';

import { LOCAL_OWNER } from '../../scripts/runtime/n8nApi';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** The browser to drive: `CHROMIUM_PATH`, else Debian's. Missing = a failure that says how to install it. */
export function chromiumPath(): string {
	const path = process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM;
	if (!existsSync(path))
		throw new Error(
			`the editor browser test needs Chromium at ${path}: apt-get install -y --no-install-recommends chromium (or set CHROMIUM_PATH)`,
		);
	return path;
}

export async function launchChromium(): Promise<Browser> {
	return await chromium.launch({
		executablePath: chromiumPath(),
		headless: true,
		// Chromium refuses to start its sandbox as root (CI and these machines run as root in a
		// container); the pages it opens are only this test's local n8n.
		args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
	});
}

/** An answer of /rest/dynamic-node-parameters/* (load options, resource mapper, list search). */
export interface DynamicParameterCall {
	endpoint: string;
	status: number;
	/** `nodeTypeAndVersion.name` of the request. */
	nodeType: string;
	/** Load-options or resource-mapper method the editor asked for. */
	method: string;
}

export interface EditorWatch {
	dynamicCalls: DynamicParameterCall[];
	/** Requests to the dynamic endpoints that got no answer at all (path, node type, method: reason). */
	failedRequests: string[];
	/** Console errors and uncaught page errors, with the URL they came from. */
	consoleErrors: string[];
	/** Dynamic-parameter requests sent and not yet answered or failed. */
	inFlight: number;
}

const DYNAMIC = '/rest/dynamic-node-parameters/';

function describeRequest(body: string | null): { nodeType: string; method: string } {
	try {
		const parsed = JSON.parse(body ?? '{}') as {
			nodeTypeAndVersion?: { name?: string };
			methodName?: string;
		};
		return { nodeType: parsed.nodeTypeAndVersion?.name ?? '', method: parsed.methodName ?? '' };
	} catch {
		return { nodeType: '', method: '' };
	}
}

export function watchEditor(page: Page): EditorWatch {
	const watch: EditorWatch = {
		dynamicCalls: [],
		failedRequests: [],
		consoleErrors: [],
		inFlight: 0,
	};
	page.on('response', (response) => {
		const url = new URL(response.url());
		if (!url.pathname.startsWith(DYNAMIC)) return;
		watch.dynamicCalls.push({
			endpoint: url.pathname.slice(DYNAMIC.length),
			status: response.status(),
			...describeRequest(response.request().postData()),
		});
	});
	page.on('request', (request) => {
		if (new URL(request.url()).pathname.startsWith(DYNAMIC)) watch.inFlight++;
	});
	page.on('requestfinished', (request) => {
		if (new URL(request.url()).pathname.startsWith(DYNAMIC)) watch.inFlight--;
	});
	page.on('requestfailed', (request) => {
		const url = new URL(request.url());
		if (!url.pathname.startsWith(DYNAMIC)) return;
		watch.inFlight--;
		const { nodeType, method } = describeRequest(request.postData());
		watch.failedRequests.push(
			`${url.pathname} ${nodeType} ${method}: ${request.failure()?.errorText ?? 'failed'}`,
		);
	});
	page.on('console', (message) => {
		if (message.type() === 'error')
			watch.consoleErrors.push(`${message.text()} (${message.location().url})`);
	});
	page.on('pageerror', (error) => watch.consoleErrors.push(`uncaught: ${error.stack ?? error}`));
	return watch;
}

/** Signs in through n8n's form, as a person does, and waits until the editor has left the page. */
export async function signIn(page: Page, baseUrl: string): Promise<void> {
	await page.goto(`${baseUrl}/signin`);
	await page.locator('input[name=emailOrLdapLoginId]').fill(LOCAL_OWNER.email);
	await page.locator('input[name=password]').fill(LOCAL_OWNER.password);
	await page.locator('[data-test-id=form-submit-button]').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}
