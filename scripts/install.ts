/**
 * CI (before the tests) and `npm run runtime:install [-- <runtime>...]`: make the pinned n8n
 * runtimes ready in the cache — every committed definition unless some are named.
 */
import { installN8n } from './runtime/installN8n';
import { findRepoRoot } from './runtime/repoRoot';
import { isRuntimeName, RUNTIME_NAMES } from './runtime/runtimePackage';

async function main(): Promise<void> {
	const repoRoot = findRepoRoot(__dirname, process.cwd());
	const names = process.argv.length > 2 ? process.argv.slice(2) : [...RUNTIME_NAMES];
	const unknown = names.filter((name) => !isRuntimeName(name));
	if (unknown.length > 0)
		throw new Error(
			`unknown runtime ${unknown.join(', ')}; the committed ones are ${RUNTIME_NAMES.join(', ')}`,
		);
	// One after the other: two cold installs at once would only fight over 2 cores and the disk.
	for (const name of names) {
		const runtime = await installN8n({ repoRoot, runtime: name });
		process.stdout.write(
			`n8n ${runtime.n8nVersion} on Node ${runtime.nodeVersion} (${name}) ${runtime.installed ? 'installed' : 'reused from the cache'} in ${runtime.dir} (${(runtime.installMs / 1000).toFixed(1)} s)\n`,
		);
	}
}

main().catch((error: unknown) => {
	process.stderr.write(
		`n8n runtime install failed: ${error instanceof Error ? error.message : String(error)}\n`,
	);
	process.exit(1);
});
