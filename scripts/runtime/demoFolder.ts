import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { lstat, mkdir, rename, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { PACK_NAME } from './linkPack';

/** Where the demo kept its n8n before it moved out of the clone. */
export const OLD_DEMO_FOLDER = '.n8n-demo';

/** True when `child` is `parent` or below it. */
export function isInside(parent: string, child: string): boolean {
	const path = relative(resolve(parent), resolve(child));
	return path === '' || (!path.startsWith('..') && !isAbsolute(path));
}

function realOrResolved(path: string): string {
	try {
		return realpathSync(path);
	} catch {
		return resolve(path);
	}
}

/**
 * The demo's n8n user folder: `$CRM_SYNC_DEMO_DIR`, else one folder per clone under
 * `$XDG_DATA_HOME` (default `~/.local/share`)/n8n-nodes-crm-sync. Never inside the clone: the
 * pack is linked into it as `<folder>/.n8n/nodes/node_modules/n8n-nodes-crm-sync` → the clone, so
 * a folder inside the clone is a symlink loop for anything that walks the tree (n8n's custom
 * extension scan, editors, backup tools).
 */
export function demoFolder(repoRoot: string, env: NodeJS.ProcessEnv = process.env): string {
	const root = realOrResolved(repoRoot);
	const folder = env.CRM_SYNC_DEMO_DIR
		? resolve(env.CRM_SYNC_DEMO_DIR)
		: join(
				env.XDG_DATA_HOME || join(homedir(), '.local', 'share'),
				PACK_NAME,
				`demo-${basename(root)}-${createHash('sha256').update(root).digest('hex').slice(0, 8)}`,
			);
	if (isInside(root, realOrResolved(folder))) {
		throw new Error(
			`The demo's n8n folder ${folder} is inside the clone ${root}; the pack link would make a symlink loop. Choose a folder outside it (CRM_SYNC_DEMO_DIR).`,
		);
	}
	return folder;
}

/**
 * A clone that ran the older demo has `<repo>/.n8n-demo` with the pack link inside: the link is
 * removed (that ends the loop) and the folder moved to the new place when that is still free,
 * so workflows, credentials and executions carry over. Returns what it did, for the log.
 */
export async function moveOldDemoFolder(
	repoRoot: string,
	target: string,
): Promise<string | undefined> {
	const old = join(repoRoot, OLD_DEMO_FOLDER);
	if (!existsSync(old)) return undefined;
	const link = join(old, '.n8n', 'nodes', 'node_modules', PACK_NAME);
	if ((await lstat(link).catch(() => undefined))?.isSymbolicLink()) await unlink(link);
	if (existsSync(target))
		return `${old} is no longer used (the demo runs in ${target}); delete it when you no longer need it`;
	await mkdir(dirname(target), { recursive: true });
	try {
		await rename(old, target);
		return `moved the demo's n8n folder out of the clone: ${old} → ${target}`;
	} catch (error) {
		return `${old} is no longer used and could not be moved to ${target} (${(error as Error).message}); delete it, or move it there yourself`;
	}
}
