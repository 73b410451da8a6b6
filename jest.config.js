// One jest run, several projects: fast pure tests first, the real n8n process last.
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];
const project = (name, extra = {}) => ({
	displayName: name,
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': tsJest },
	testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
	...extra,
});

module.exports = {
	projects: [
		project('unit'),
		project('credentials'),
		project('providers'),
		project('sandbox'),
		project('nodes'),
		project('e2e', { testTimeout: 300_000 }),
	],
};
