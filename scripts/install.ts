/** `npm run n8n:install` / CI: install the cached n8n runtime ahead of the e2e tests. */
import { join } from 'node:path';
import { installN8n } from './runtime/installN8n';
import { findRepoRoot } from './runtime/repoRoot';

installN8n({ dir: join(findRepoRoot(__dirname), '.n8n-runtime') }).then(
	(runtime) => process.stdout.write(`n8n runtime ${runtime.installed ? 'installed' : 'already installed'} in ${runtime.dir} (${(runtime.installMs / 1000).toFixed(1)} s)\n`),
	(error: unknown) => {
		process.stderr.write(`n8n runtime install failed: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(1);
	},
);
