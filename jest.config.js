// One jest run, several projects: fast pure tests first, the real n8n process last.
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];
const project = (name, extra = {}) => ({
	displayName: name,
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': tsJest },
	testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
	// Generous: CI and dev machines are shared 2-core boxes; speed is measured by `npm run bench`.
	testTimeout: 30_000,
	...extra,
});

module.exports = {
	// Global default (jest reads testTimeout from the root config; e2e raises it in its harness).
	testTimeout: 30_000,
	// A fresh worker process for every test file: suites load n8n's real HTTP stack, SDKs and
	// nock, and Node's core http module is shared by all files of one process — state left by
	// one file made later nock-based files reach the real network. Recycling costs ~1 s a file.
	maxWorkers: 2,
	workerIdleMemoryLimit: '1MB',
	projects: [
		project('unit'),
		project('credentials'),
		project('providers'),
		project('sandbox'),
		project('nodes'),
		// The published tarball: its files and metadata, n8n's scanner, a manual npm install of it.
		project('package', { testTimeout: 300_000 }),
		project('e2e', { testTimeout: 300_000 }),
	],
};
