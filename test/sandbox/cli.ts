/**
 * Starts the CRM sandbox for demos, e2e runs and benchmarks:
 *   npx tsx test/sandbox/cli.ts [port]        (or SANDBOX_PORT=…; default 4010, 0 = random)
 * Options by env: SANDBOX_SEED=false, SANDBOX_NO_RATE_LIMITS=true, SANDBOX_QUIET=true.
 * Prints the base URL on stdout, then one line per vendor request.
 */
import { startSandbox } from './server';

async function main(): Promise<void> {
	const rawPort = process.argv[2] ?? process.env.SANDBOX_PORT ?? '4010';
	const port = Number(rawPort);
	if (!Number.isInteger(port) || port < 0 || port > 65_535)
		throw new Error(`invalid port: ${rawPort}`);
	const noLimits = process.env.SANDBOX_NO_RATE_LIMITS === 'true';
	const sandbox = await startSandbox({
		port,
		seed: process.env.SANDBOX_SEED !== 'false',
		rateLimits: noLimits
			? { hubspot: false, autochat: false, dynamics: false, salesforce: false }
			: undefined,
		log:
			process.env.SANDBOX_QUIET === 'true'
				? undefined
				: (line) => process.stderr.write(`${line}\n`),
	});
	process.stdout.write(`${sandbox.url}\n`);
	const stop = () => {
		void sandbox.close().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
	process.stderr.write(`sandbox failed to start: ${(error as Error).message}\n`);
	process.exit(1);
});
