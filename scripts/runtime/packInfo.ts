import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

/** What the runtime needs to know about one of the pack's credential types. */
export interface PackCredentialType {
	/** The type name workflows and the API use, e.g. `hubSpotPrivateAppApi`. */
	name: string;
	displayName: string;
	extends: string[];
	properties: Array<{ name: string; type: string; default?: unknown; required?: boolean }>;
}

// Plain Node loading of the built dist files (they are JS; no test transform wanted).
const loadBuilt = createRequire(__filename);

interface PackManifest {
	n8n?: { credentials?: string[]; nodes?: string[] };
}

function manifest(packDir: string): PackManifest {
	return JSON.parse(readFileSync(join(resolve(packDir), 'package.json'), 'utf8')) as PackManifest;
}

/** Node type names (description.name) of the nodes the built pack declares (package.json `n8n.nodes`). */
export function packNodeTypeNames(packDir: string): string[] {
	const names: string[] = [];
	for (const file of manifest(packDir).n8n?.nodes ?? []) {
		const loaded = loadBuilt(join(resolve(packDir), file)) as Record<string, unknown>;
		for (const exported of Object.values(loaded)) {
			if (typeof exported !== 'function') continue;
			const instance = new (exported as new () => { description?: { name?: unknown } })();
			if (typeof instance.description?.name === 'string') names.push(instance.description.name);
		}
	}
	return names;
}

/**
 * Reads the credential types the built pack declares (package.json `n8n.credentials`) by
 * loading each dist file and instantiating its class — the type name lives on the instance,
 * not in the file name.
 */
export function packCredentialTypes(packDir: string): PackCredentialType[] {
	const types: PackCredentialType[] = [];
	for (const file of manifest(packDir).n8n?.credentials ?? []) {
		const loaded = loadBuilt(join(resolve(packDir), file)) as Record<string, unknown>;
		for (const exported of Object.values(loaded)) {
			if (typeof exported !== 'function') continue;
			const instance = new (exported as new () => Partial<PackCredentialType>)();
			if (typeof instance.name !== 'string' || !Array.isArray(instance.properties)) continue;
			types.push({
				name: instance.name,
				displayName: instance.displayName ?? instance.name,
				extends: instance.extends ?? [],
				properties: instance.properties,
			});
		}
	}
	return types;
}
