import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * An n8n runtime's definition: `scripts/runtime/<name>/package.json` (n8n, Node from npm, the
 * overrides it needs, the install scripts that may run) and the `package-lock.json` resolved and
 * verified beside it. Both are committed, so every install is the same tree;
 * `npm run runtime:lock -- <name>` is the one way to change them. An optional `environment.json`
 * beside them holds the settings this n8n version needs to start (not part of the install).
 */
export const RUNTIME_DEFINITIONS_ROOT = join('scripts', 'runtime');

/** The current n8n (2.x): the demo, the e2e suites. */
export const DEFAULT_RUNTIME = 'n8n-runtime';
/** The last n8n 1.x release on Node 22: the older-version smoke. */
export const N8N_1X_RUNTIME = 'n8n-runtime-1x';
/** Every committed definition, the default first. */
export const RUNTIME_NAMES = [DEFAULT_RUNTIME, N8N_1X_RUNTIME] as const;
export type RuntimeName = (typeof RUNTIME_NAMES)[number];

/** The default definition's folder (kept for callers that only know the one runtime). */
export const RUNTIME_DEFINITION_FOLDER = runtimeDefinitionFolder(DEFAULT_RUNTIME);

export interface RuntimePackageJson {
	name: string;
	dependencies: { n8n: string; node: string } & Record<string, string>;
	overrides?: Record<string, string>;
	allowScripts?: Record<string, boolean>;
}

export interface RuntimeDefinition {
	name: string;
	/** Folder holding the committed package.json and package-lock.json. */
	folder: string;
	packageText: string;
	lockText: string;
	packageJson: RuntimePackageJson;
	n8nVersion: string;
	nodeVersion: string;
	/** Environment this n8n version needs to start (`environment.json`), merged into every start. */
	env: Record<string, string>;
	/** sha256 of package.json + lock: the cache key of an installed runtime. */
	hash: string;
}

export function runtimeDefinitionFolder(name: string): string {
	if (!/^[a-z0-9][a-z0-9-]*$/.test(name))
		throw new Error(`"${name}" is not a runtime definition name`);
	return join(RUNTIME_DEFINITIONS_ROOT, name);
}

export function isRuntimeName(name: string): name is RuntimeName {
	return (RUNTIME_NAMES as readonly string[]).includes(name);
}

export function hashText(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}

/** The cache key of a definition: both files, so a changed lock means a new install. */
export function definitionHash(packageText: string, lockText: string): string {
	return hashText(`${packageText}\0${lockText}`);
}

export function readRuntimeDefinition(
	repoRoot: string,
	name: string = DEFAULT_RUNTIME,
): RuntimeDefinition {
	const folder = join(repoRoot, runtimeDefinitionFolder(name));
	const packageText = readFileSync(join(folder, 'package.json'), 'utf8');
	let lockText: string;
	try {
		lockText = readFileSync(join(folder, 'package-lock.json'), 'utf8');
	} catch {
		throw new Error(
			`${join(folder, 'package-lock.json')} is missing: run \`npm run runtime:lock -- ${name}\` to resolve and verify it, then commit it`,
		);
	}
	const packageJson = JSON.parse(packageText) as RuntimePackageJson;
	const environmentFile = join(folder, 'environment.json');
	const env = existsSync(environmentFile)
		? ((JSON.parse(readFileSync(environmentFile, 'utf8')) as { env?: Record<string, string> })
				.env ?? {})
		: {};
	return {
		name,
		folder,
		packageText,
		lockText,
		packageJson,
		n8nVersion: packageJson.dependencies.n8n,
		nodeVersion: packageJson.dependencies.node,
		env,
		hash: definitionHash(packageText, lockText),
	};
}
