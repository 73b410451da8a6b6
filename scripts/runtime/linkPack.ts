import { existsSync } from 'node:fs';
import { lstat, mkdir, readFile, rm, symlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export const PACK_NAME = 'n8n-nodes-crm-sync';

/**
 * Makes the built pack visible to n8n exactly like a Community Nodes install: a symlink at
 * `<userFolder>/.n8n/nodes/node_modules/n8n-nodes-crm-sync` → the repo root (package.json +
 * dist/). Node types are then `n8n-nodes-crm-sync.<name>`, the names the templates use.
 */
export async function linkPack(userFolder: string, packDir: string): Promise<string> {
	const pack = resolve(packDir);
	const manifest = JSON.parse(await readFile(join(pack, 'package.json'), 'utf8')) as {
		name?: string;
		n8n?: { nodes?: string[]; credentials?: string[] };
	};
	if (manifest.name !== PACK_NAME) throw new Error(`${pack} is not the ${PACK_NAME} package`);
	// n8n skips a package whose declared file is missing, so a stale dist would look like "pack not loaded".
	const declared = [...(manifest.n8n?.nodes ?? []), ...(manifest.n8n?.credentials ?? [])];
	const missing = declared.filter((file) => !existsSync(join(pack, file)));
	if (missing.length > 0)
		throw new Error(
			`The built pack is incomplete (missing ${missing.join(', ')}): run \`npm run build\` first`,
		);
	const modules = join(resolve(userFolder), '.n8n', 'nodes', 'node_modules');
	await mkdir(modules, { recursive: true });
	const link = join(modules, PACK_NAME);
	if (await exists(link)) await rm(link, { recursive: true, force: true });
	await symlink(pack, link, 'dir');
	return link;
}

async function exists(path: string): Promise<boolean> {
	try {
		await lstat(path);
		return true;
	} catch {
		return false;
	}
}

/**
 * Links another node package next to the pack (same layout, so n8n loads it as a community
 * package). Used by the e2e tests for test-only nodes (a scripted chat model); never by the demo.
 */
export async function linkExtraPack(userFolder: string, packDir: string): Promise<string> {
	const pack = resolve(packDir);
	const manifest = JSON.parse(await readFile(join(pack, 'package.json'), 'utf8')) as {
		name?: string;
	};
	if (
		typeof manifest.name !== 'string' ||
		!/^n8n-nodes-[a-z0-9-]+$/.test(manifest.name) ||
		manifest.name === PACK_NAME
	)
		throw new Error(
			`${pack} is not a node package n8n would load (its name must start with n8n-nodes-)`,
		);
	const modules = join(resolve(userFolder), '.n8n', 'nodes', 'node_modules');
	await mkdir(modules, { recursive: true });
	const link = join(modules, manifest.name);
	if (await exists(link)) await rm(link, { recursive: true, force: true });
	await symlink(pack, link, 'dir');
	return link;
}
