import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createCredential, deleteCredential, type CredentialMap } from './credentials';
import { forgetProcessedItems } from './forgetProcessedItems';
import { installN8n, type N8nRuntime } from './installN8n';
import { bootstrapOwner, N8nApi, N8nHttpError, ownerSession, type OwnerSession } from './n8nApi';
import { packCredentialTypes } from './packInfo';
import { freePorts } from './ports';
import { startCrmSandbox, type SandboxHandle, type SandboxSchema } from './sandbox';
import { planSandboxCredentials, sandboxSmtpCredential } from './sandboxCredentials';
import { startN8n, type N8nHandle } from './startN8n';
import { newWebhookAuth, webhookAuthCredential, type WebhookAuth } from './webhookAuth';
import { importWorkflows, type ImportedWorkflow } from './workflows';

export interface StackOptions {
	/** Repo root: package.json + dist/ (the pack), workflows-templates/, test/sandbox/. */
	repoRoot: string;
	userFolder: string;
	/** Where installed runtimes are cached (default: the user's cache folder, see runtimeCache.ts). */
	runtimeCacheRoot?: string;
	/** Which committed n8n runtime (default the current n8n; see runtimePackage.ts). */
	runtime?: string;
	/**
	 * The pack is already installed in `<userFolder>/.n8n/nodes/node_modules` (as n8n's Community
	 * Nodes installer leaves it): start n8n with it instead of linking the repo's build.
	 */
	packInstalled?: boolean;
	/**
	 * Empty n8n's processed-items store before n8n starts (see forgetProcessedItems.ts): for a user
	 * folder that outlives its sandbox, whose records are gone after a restart (the demo).
	 */
	forgetProcessedItems?: boolean;
	/** 0 or undefined = a free port. */
	n8nPort?: number;
	sandboxPort?: number;
	/** Start the CRM sandbox and create sandbox credentials (default true). */
	sandbox?: boolean;
	/** The org the sandbox plays (default `demo`; `standard`: only the vendors' standard fields). */
	sandboxSchema?: SandboxSchema;
	/** Further node packages n8n loads beside the pack (test-only nodes; never used by the demo). */
	extraPacks?: string[];
	/** Templates folder (default `<repoRoot>/workflows-templates`); `false` imports nothing. */
	templatesDir?: string | false;
	log?: (line: string) => void;
	env?: Record<string, string>;
	/** Receives the stop function before anything starts, so a Ctrl-C during start-up can clean up. */
	onStopReady?: (stop: () => Promise<void>) => void;
}

export interface StackTimings {
	installMs: number;
	sandboxMs: number;
	n8nStartMs: number;
	bootstrapMs: number;
	credentialsMs: number;
	importMs: number;
}

export interface Stack {
	runtime: N8nRuntime;
	n8n: N8nHandle;
	sandbox?: SandboxHandle;
	session: OwnerSession;
	api: N8nApi;
	/** True when this start created the owner (a fresh user folder). */
	createdOwner: boolean;
	credentials: CredentialMap;
	skippedCredentials: Array<{ type: string; reason: string }>;
	/** The header every template webhook requires (its Header Auth credential's name and value). */
	webhookAuth: WebhookAuth;
	workflows: ImportedWorkflow[];
	timings: StackTimings;
	/** Stops n8n (with its task runner) and the sandbox; safe to call twice. */
	stop(): Promise<void>;
}

/** What a restarted demo needs from the previous run (kept in the user folder). */
interface RunnerState {
	apiKey?: string;
	credentialIds?: string[];
}

const STATE_FILE = 'crm-sync-runtime.json';

/**
 * The whole local stack, shared by `npm start` and the e2e tests: n8n installed once, the
 * sandbox, n8n with the built pack, the owner and an API key, sandbox credentials for the
 * pack's key-mode credential types, the webhook secret (Header Auth) the templates require,
 * and every template imported (activated when it has a trigger) exactly as a user would import
 * it: nothing else is prepared (the templates create their own Data Tables).
 */
export async function startStack(options: StackOptions): Promise<Stack> {
	const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
	const repoRoot = resolve(options.repoRoot);
	const userFolder = resolve(options.userFolder);
	await mkdir(userFolder, { recursive: true });
	const timings: StackTimings = {
		installMs: 0,
		sandboxMs: 0,
		n8nStartMs: 0,
		bootstrapMs: 0,
		credentialsMs: 0,
		importMs: 0,
	};
	const stoppers: Array<() => Promise<void>> = [];
	const stop = async (): Promise<void> => {
		while (stoppers.length > 0) await stoppers.pop()?.();
	};
	options.onStopReady?.(stop);
	try {
		const runtime = await installN8n({
			repoRoot,
			runtime: options.runtime,
			cacheRoot: options.runtimeCacheRoot,
			// The repo's .n8n-runtime link names the default cache; a private cache stays private.
			link: options.runtimeCacheRoot === undefined ? undefined : false,
			log,
		});
		timings.installMs = runtime.installMs;

		let sandbox: SandboxHandle | undefined;
		if (options.sandbox !== false) {
			const started = Date.now();
			sandbox = await startCrmSandbox({
				port: options.sandboxPort ?? 0,
				seed: true,
				schema: options.sandboxSchema,
			});
			const handle = sandbox;
			stoppers.push(() => handle.close());
			timings.sandboxMs = Date.now() - started;
			log(`CRM sandbox on ${sandbox.url}`);
		}

		if (options.forgetProcessedItems === true) {
			const forgotten = await forgetProcessedItems(runtime, userFolder);
			if (forgotten > 0)
				log(
					`new CRM sandbox: n8n's memory of ${forgotten} earlier write(s) and deliveries cleared, so the same calls write again`,
				);
		}

		const [freeHttp, brokerPort] = await freePorts(2);
		const port = options.n8nPort !== undefined && options.n8nPort > 0 ? options.n8nPort : freeHttp;
		log(
			`starting n8n on port ${port} (user folder ${userFolder}, log ${join(userFolder, 'n8n.log')})`,
		);
		const n8n = await startN8n({
			runtime,
			userFolder,
			port,
			brokerPort: brokerPort === port ? freeHttp : brokerPort,
			packDir: options.packInstalled === true ? false : repoRoot,
			extraPacks: options.extraPacks,
			env: options.env,
		});
		stoppers.push(() => n8n.stop());
		timings.n8nStartMs = n8n.startMs;
		log(`n8n ready in ${(n8n.startMs / 1000).toFixed(1)} s`);

		let started = Date.now();
		const state = await readState(userFolder);
		const { session, apiKey, createdOwner } = await ownerAndKey(n8n.baseUrl, state.apiKey);
		const api = new N8nApi(n8n.baseUrl, apiKey);
		timings.bootstrapMs = Date.now() - started;

		started = Date.now();
		const credentials: CredentialMap = {};
		const skippedCredentials: Array<{ type: string; reason: string }> = [];
		for (const id of state.credentialIds ?? []) {
			// Sandbox ports change between runs: replace last run's credentials instead of piling up.
			await deleteCredential(api, id).catch(() => undefined);
		}
		if (sandbox !== undefined) {
			const plan = planSandboxCredentials(packCredentialTypes(repoRoot), sandbox.url);
			skippedCredentials.push(...plan.skipped);
			for (const input of plan.create) {
				try {
					credentials[input.type] = await createCredential(api, input);
				} catch (error) {
					// Templates that need this type will fail to activate: say why here.
					log(`could not create the ${input.type} credential: ${(error as Error).message}`);
					skippedCredentials.push({ type: input.type, reason: (error as Error).message });
				}
			}
			if (sandbox.smtp !== undefined) {
				const smtp = sandboxSmtpCredential(sandbox.smtp);
				credentials[smtp.type] = await createCredential(api, smtp);
			}
		}
		// The templates' webhooks require this header; a new secret on every start.
		const webhookAuth = newWebhookAuth();
		const webhookCredential = webhookAuthCredential(webhookAuth);
		credentials[webhookCredential.type] = await createCredential(api, webhookCredential);
		await writeState(userFolder, {
			apiKey,
			credentialIds: Object.values(credentials).map((credential) => credential.id),
		});
		timings.credentialsMs = Date.now() - started;

		started = Date.now();
		const templatesDir =
			options.templatesDir === false
				? undefined
				: (options.templatesDir ?? join(repoRoot, 'workflows-templates'));
		// No Data Table is made here: each template creates the tables it uses on its first run.
		const workflows =
			templatesDir !== undefined && existsSync(templatesDir)
				? await importWorkflows(api, templatesDir, credentials, session)
				: [];
		timings.importMs = Date.now() - started;

		return {
			runtime,
			n8n,
			sandbox,
			session,
			api,
			createdOwner,
			credentials,
			skippedCredentials,
			webhookAuth,
			workflows,
			timings,
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

async function ownerAndKey(
	baseUrl: string,
	savedKey: string | undefined,
): Promise<{ session: OwnerSession; apiKey: string; createdOwner: boolean }> {
	if (savedKey !== undefined) {
		const session = await ownerSession(baseUrl);
		try {
			await new N8nApi(baseUrl, savedKey).request('GET', '/workflows?limit=1');
			return { session, apiKey: savedKey, createdOwner: session.createdOwner };
		} catch (error) {
			if (!(error instanceof N8nHttpError) || error.status !== 401) throw error;
		}
	}
	const created = await bootstrapOwner(baseUrl);
	return { session: created, apiKey: created.apiKey, createdOwner: created.createdOwner };
}

async function readState(userFolder: string): Promise<RunnerState> {
	try {
		return JSON.parse(await readFile(join(userFolder, STATE_FILE), 'utf8')) as RunnerState;
	} catch {
		return {};
	}
}

async function writeState(userFolder: string, state: RunnerState): Promise<void> {
	// The API key of a local throwaway instance; the file sits in the git-ignored user folder.
	await writeFile(join(userFolder, STATE_FILE), JSON.stringify(state, null, 2) + '\n', {
		mode: 0o600,
	});
}
