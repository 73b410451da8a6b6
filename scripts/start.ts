/**
 * `npm start`: the local demo. Builds nothing itself (the npm script builds the pack first),
 * then starts the CRM sandbox and a real n8n with the pack, logs in a fixed local owner,
 * creates sandbox credentials, imports the templates and prints how to try it.
 * Ctrl-C stops n8n, its task runner and the sandbox.
 */
import { join } from 'node:path';
import { curlLine, demoWebhook } from './runtime/curl';
import { demoFolder, moveOldDemoFolder } from './runtime/demoFolder';
import { LOCAL_OWNER } from './runtime/n8nApi';
import { isPortFree } from './runtime/ports';
import { findRepoRoot } from './runtime/repoRoot';
import { startStack, type Stack } from './runtime/stack';

const say = (line: string): void => void process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
	// The compiled runner normally sits in <repo>/.runner-build; `npm start` also runs from the repo root.
	const repoRoot = findRepoRoot(__dirname, process.cwd());
	const port = Number(process.env.N8N_PORT ?? '5678');
	if (!Number.isInteger(port) || port <= 0)
		throw new Error(`N8N_PORT must be a port number, got "${process.env.N8N_PORT}"`);
	if (!(await isPortFree(port)))
		throw new Error(
			`Port ${port} is busy (another n8n?). Stop it or run with N8N_PORT=<free port> npm start`,
		);

	let stopStack: (() => Promise<void>) | undefined;
	let stopping = false;
	const shutdown = (signal: string): void => {
		if (stopping) return;
		stopping = true;
		say(`\n${signal}: stopping n8n, its task runner and the CRM sandbox...`);
		const started = Date.now();
		void (stopStack?.() ?? Promise.resolve()).then(
			() => {
				say(`stopped. (${((Date.now() - started) / 1000).toFixed(1)} s)`);
				process.exit(0);
			},
			(error: unknown) => {
				process.stderr.write(`error while stopping: ${(error as Error).message}\n`);
				process.exit(1);
			},
		);
	};
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
		process.on(signal, () => shutdown(signal));

	// Persistent, so workflows and executions survive restarts; outside the clone (see demoFolder.ts).
	const userFolder = demoFolder(repoRoot);
	const moved = await moveOldDemoFolder(repoRoot, userFolder);
	if (moved !== undefined) say(moved);

	const stack: Stack = await startStack({
		repoRoot,
		userFolder,
		n8nPort: port,
		sandboxPort: process.env.SANDBOX_PORT === undefined ? 0 : Number(process.env.SANDBOX_PORT),
		// Hot reload of the pack is opt-in: every rebuild reloads it, and n8n 2.41's reload leaked memory
		// until it ran out of heap in a long session (seen with repeated `npm run build`).
		env: process.env.CRM_SYNC_DEV_RELOAD === '1' ? { N8N_DEV_RELOAD: 'true' } : {},
		// Every start has a new, empty sandbox: n8n must forget the writes it made to the last one,
		// or the same sample call would be "already written" and write nothing.
		forgetProcessedItems: true,
		log: (line) => say(line),
		onStopReady: (stop) => {
			stopStack = stop;
		},
	});
	if (stopping) return;

	say('');
	say(`n8n editor:   ${stack.n8n.publicUrl}`);
	say(
		`n8n folder:   ${userFolder}   (kept between starts; the CRM sandbox starts empty each time)`,
	);
	say(
		`login:        ${LOCAL_OWNER.email} / ${LOCAL_OWNER.password}   (fixed demo login, local instance only${stack.createdOwner ? '; owner just created' : ''})`,
	);
	say(
		`CRM sandbox:  ${stack.sandbox?.url ?? '(not started)'}   (records: ${stack.sandbox?.url ?? ''}/__admin/records/<vendor>/<objectType>)`,
	);
	if (stack.sandbox?.smtp !== undefined)
		say(
			`mail outbox:  ${stack.sandbox.url}/__admin/mail   (notification e-mails, SMTP on ${stack.sandbox.smtp.host}:${stack.sandbox.smtp.port})`,
		);
	for (const credential of Object.values(stack.credentials))
		say(`credential:   ${credential.name} (${credential.type})`);
	for (const skipped of stack.skippedCredentials)
		say(`no credential for ${skipped.type}: ${skipped.reason}`);
	if (Object.keys(stack.credentials).length === 0 && stack.skippedCredentials.length === 0)
		say('credentials:  the pack declares no credential types yet');
	for (const workflow of stack.workflows) {
		say(
			`workflow:     ${workflow.name} (${workflow.file}, ${workflow.active ? 'active' : 'inactive'}) ${stack.n8n.publicUrl}/workflow/${workflow.id}`,
		);
	}
	const target = demoWebhook(stack.workflows);
	if (target === undefined) {
		say('No imported workflow has a webhook yet, so there is no sample call to send.');
	} else {
		say(`Send a sample call to "${target.workflow.name}":`);
		say(
			curlLine(
				stack.n8n.publicUrl,
				target.webhook,
				join(repoRoot, 'scripts', 'demo', 'sample-call.json'),
				stack.webhookAuth,
			),
		);
		say(
			`(every template webhook needs the ${stack.webhookAuth.header} header: it is the "Webhook secret" credential, new on each start)`,
		);
	}
	say('Press Ctrl-C to stop.');
	const reason = await stack.n8n.exited;
	if (!stopping) {
		process.stderr.write(`n8n stopped unexpectedly (${reason}); see ${stack.n8n.logFile}\n`);
		await stack.stop();
		process.exit(1);
	}
}

main().catch((error: unknown) => {
	process.stderr.write(
		`npm start failed: ${error instanceof Error ? error.message : String(error)}\n`,
	);
	process.exit(1);
});
