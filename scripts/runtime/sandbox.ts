import { join } from 'node:path';

/** The CRM sandbox's contract (test/sandbox/server.ts, built by its own owner). */
export interface SandboxHandle {
	url: string;
	port: number;
	/** The sandbox's SMTP mail sink, where the templates' notification e-mails go. */
	smtp?: { host: string; port: number };
	close(): Promise<void>;
}

/** `demo`: the demo org with its custom fields; `standard`: only the vendors' standard fields (see the sandbox README). */
export type SandboxSchema = 'demo' | 'standard';

export interface CrmSandboxOptions {
	port?: number;
	seed?: boolean;
	schema?: SandboxSchema;
}

interface SandboxModule {
	startSandbox(options?: CrmSandboxOptions): Promise<SandboxHandle>;
}

/**
 * Starts the local CRM sandbox. Loaded by path at run time so the runtime does not depend on
 * the sandbox's internals: ts-jest transforms it in tests, and the runner's tsconfig compiles
 * test/sandbox next to scripts/ for `npm start`.
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
