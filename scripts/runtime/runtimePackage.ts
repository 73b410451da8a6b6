import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The n8n runtime's definition: `scripts/runtime/n8n-runtime/package.json` (n8n, Node 24 from
 * npm, the linkedom override, the install scripts that may run) and the `package-lock.json`
 * resolved and verified beside it. Both are committed, so every install is the same tree;
 * `npm run runtime:lock` is the one way to change them.
 */
export const RUNTIME_DEFINITION_FOLDER = join('scripts', 'runtime', 'n8n-runtime');

export interface RuntimePackageJson {
	name: string;
	dependencies: { n8n: string; node: string } & Record<string, string>;
	overrides?: Record<string, string>;
	allowScripts?: Record<string, boolean>;
}

export interface RuntimeDefinition {
	/** Folder holding the committed package.json and package-lock.json. */
	folder: string;
	packageText: string;
	lockText: string;
	packageJson: RuntimePackageJson;
	n8nVersion: string;
	nodeVersion: string;
	/** sha256 of package.json + lock: the cache key of an installed runtime. */
	hash: string;
}

export function hashText(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}

/** The cache key of a definition: both files, so a changed lock means a new install. */
export function definitionHash(packageText: string, lockText: string): string {
	return hashText(`${packageText}\0${lockText}`);
}

export function readRuntimeDefinition(repoRoot: string): RuntimeDefinition {
	const folder = join(repoRoot, RUNTIME_DEFINITION_FOLDER);
	const packageText = readFileSync(join(folder, 'package.json'), 'utf8');
	let lockText: string;
	try {
		lockText = readFileSync(join(folder, 'package-lock.json'), 'utf8');
	} catch {
		throw new Error(`${join(folder, 'package-lock.json')} is missing: run \`npm run runtime:lock\` to resolve and verify it, then commit it`);
	}
	const packageJson = JSON.parse(packageText) as RuntimePackageJson;
	return {
		folder,
		packageText,
		lockText,
		packageJson,
		n8nVersion: packageJson.dependencies.n8n,
		nodeVersion: packageJson.dependencies.node,
		hash: definitionHash(packageText, lockText),
	};
}
