/**
 * Sandbox lifecycles shared by the node suites. Each registers jest hooks in the calling
 * describe block and returns a ref whose `sandbox` can be read inside tests and hooks
 * (the sandbox starts in a hook, after the describe body has run).
 */
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../sandbox/server';

export interface SandboxRef {
	readonly sandbox: SandboxHandle;
}

export interface ClockedSandboxRef extends SandboxRef {
	/** The sandbox's clock (ms): tests move it to give records chosen timestamps. */
	clock: number;
}

function started(handle: SandboxHandle | undefined): SandboxHandle {
	if (!handle)
		throw new Error('The sandbox is started by the suite hooks: read it inside a test or hook');
	return handle;
}

/** A fresh seeded sandbox for every test, for suites whose tests change the seed records. */
export function sandboxPerTest(options: Omit<SandboxOptions, 'port'> = {}): SandboxRef {
	let handle: SandboxHandle | undefined;
	beforeEach(async () => {
		handle = await startSandbox({ ...options, port: 0 });
	});
	afterEach(async () => {
		await started(handle).close();
	});
	return {
		get sandbox() {
			return started(handle);
		},
	};
}

/** One sandbox per suite, back to the seed data with an empty request log before each test. */
export function seededSandbox(): SandboxRef {
	let handle: SandboxHandle | undefined;
	beforeAll(async () => {
		handle = await startSandbox({ port: 0 });
	});
	afterAll(async () => {
		await started(handle).close();
	});
	beforeEach(() => {
		const { admin } = started(handle);
		admin.reset();
		admin.seed();
		admin.clearRequests();
		admin.clearFaults();
	});
	return {
		get sandbox() {
			return started(handle);
		},
	};
}

/**
 * One sandbox per suite on a test-driven clock, so records can share a timestamp exactly.
 * Before each test it is emptied (no seed data) and the clock set a minute in the past.
 */
export function clockedSandbox(
	options: Omit<SandboxOptions, 'port' | 'now'> = {},
): ClockedSandboxRef {
	let handle: SandboxHandle | undefined;
	const ref = {
		clock: Date.now(),
		get sandbox() {
			return started(handle);
		},
	};
	beforeAll(async () => {
		handle = await startSandbox({ ...options, port: 0, now: () => ref.clock });
	});
	afterAll(async () => {
		await started(handle).close();
	});
	beforeEach(() => {
		ref.clock = Date.now() - 60_000;
		started(handle).admin.reset();
		started(handle).admin.clearRequests();
		started(handle).admin.clearFaults();
	});
	return ref;
}
