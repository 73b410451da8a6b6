import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/** What the runtime needs to know about one of the pack's credential types. */
export interface PackCredentialType {
	/** The type name workflows and the API use, e.g. `crmSyncHubSpotPrivateAppApi`. */
	name: string;
	displayName: string;
	extends: string[];
	properties: Array<{ name: string; type: string; default?: unknown; required?: boolean }>;
}

interface PackTypes {
	credentials: PackCredentialType[];
	nodes: string[];
}

/**
 * Loads the built files the pack declares (package.json `n8n.credentials` / `n8n.nodes`) and
 * instantiates their classes — type names live on the instances, not in file names. It runs in
 * a short-lived child process: loading the pack and its SDKs into a jest worker would leave
 * their module-level state behind for the next test files of that worker.
 */
const LOADER = `
const { join } = require('node:path');
const pack = process.argv[1];
const manifest = require(join(pack, 'package.json'));
const instances = (files) => files.flatMap((file) =>
	Object.values(require(join(pack, file))).filter((value) => typeof value === 'function').map((Class) => new Class()));
const credentials = instances(manifest.n8n?.credentials ?? [])
	.filter((c) => typeof c.name === 'string' && Array.isArray(c.properties))
	.map((c) => ({ name: c.name, displayName: c.displayName ?? c.name, extends: c.extends ?? [],
		properties: c.properties.map((p) => ({ name: p.name, type: p.type, default: p.default, required: p.required })) }));
const nodes = instances(manifest.n8n?.nodes ?? [])
	.map((n) => n.description?.name).filter((name) => typeof name === 'string');
process.stdout.write(JSON.stringify({ credentials, nodes }));
`;

function packTypes(packDir: string): PackTypes {
	const output = execFileSync(process.execPath, ['-e', LOADER, resolve(packDir)], {
		encoding: 'utf8',
		timeout: 60_000,
		cwd: join(resolve(packDir)),
	});
	return JSON.parse(output) as PackTypes;
}

/** The credential types the built pack declares. */
export function packCredentialTypes(packDir: string): PackCredentialType[] {
	return packTypes(packDir).credentials;
}

/** Node type names (description.name) of the nodes the built pack declares. */
export function packNodeTypeNames(packDir: string): string[] {
	return packTypes(packDir).nodes;
}
