/** CI (before the tests) and `npm run runtime:install`: make the pinned n8n runtime ready in the cache. */
import { installN8n } from './runtime/installN8n';
import { findRepoRoot } from './runtime/repoRoot';

installN8n({ repoRoot: findRepoRoot(__dirname, process.cwd()) }).then(
	(runtime) =>
		process.stdout.write(
			`n8n ${runtime.n8nVersion} runtime ${runtime.installed ? 'installed' : 'reused from the cache'} in ${runtime.dir} (${(runtime.installMs / 1000).toFixed(1)} s)\n`,
		),
	(error: unknown) => {
		process.stderr.write(`n8n runtime install failed: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(1);
	},
);
