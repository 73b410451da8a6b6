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
	projects: [
		project('unit'),
		project('credentials'),
		project('providers'),
		project('sandbox'),
		project('nodes'),
		project('e2e', { testTimeout: 300_000 }),
	],
};
