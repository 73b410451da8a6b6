import { join } from 'node:path';

import type { SandboxHandle, SandboxOptions } from '../../test/sandbox/server';

export type { SandboxHandle, SandboxSchema } from '../../test/sandbox/server';

/** What the runtime asks of the sandbox: the port, the demo data, and which org it plays. */
export type CrmSandboxOptions = Pick<SandboxOptions, 'port' | 'seed' | 'schema'>;

interface SandboxModule {
	startSandbox(options?: CrmSandboxOptions): Promise<SandboxHandle>;
}

/**
 * Starts the local CRM sandbox. Loaded by path at run time (its types are imported, its code
 * is not bundled into the runtime's import graph): ts-jest transforms it in tests, and the
 * runner's tsconfig compiles test/sandbox next to scripts/ for `npm start`.
 */
export async function startCrmSandbox(options: CrmSandboxOptions): Promise<SandboxHandle> {
	// Relative to this file: scripts/runtime → test/sandbox (sources) or the same layout compiled.
	const module = (await import(
		join(__dirname, '..', '..', 'test', 'sandbox', 'server')
	)) as SandboxModule;
	if (typeof module.startSandbox !== 'function')
		throw new Error('test/sandbox/server does not export startSandbox');
	return await module.startSandbox(options);
}
