/**
 * n8n's own lint for self-hosted community packs (`configWithoutCloudSupport` of @n8n/node-cli 0.48),
 * rebuilt here from the same plugins and rule sets so the project does not install the whole node CLI
 * (its AI SDK alone is ~150 packages) just for a lint config. On shipped files (nodes/, credentials/,
 * package.json) every rule of that config applies unchanged, with one exception listed below; tests
 * and scripts get the TypeScript and import rules but not the rules written for node code.
 */
import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { globalIgnores } from 'eslint/config';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

// eslint-plugin-n8n-nodes-base lints every file as one of its own test fixtures when it is loaded
// with NODE_ENV=test (file-name and package.json rules then fire everywhere), so it is loaded
// here, after clearing that, whoever runs the lint.
if (process.env.NODE_ENV === 'test') delete process.env.NODE_ENV;
const { default: n8nNodesBase } = await import('eslint-plugin-n8n-nodes-base');

const selfHosted = n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport;

/**
 * The one rule of n8n's config this pack does not follow: it calls the vendor SDKs the product is
 * built on (@hubspot/api-client, jsforce, libphonenumber-js, luxon, zod), so runtime dependencies
 * are intended. Self-hosted n8n installs them with the pack (README: "n8n's scanner").
 */
const intendedRuntimeDependencies = { '@n8n/community-nodes/no-runtime-dependencies': 'off' };

const shippedCode = ['nodes/**/*.ts', 'credentials/**/*.ts'];
const notShipped = ['test/**/*.ts', 'scripts/**/*.ts'];

export default tseslint.config(
	globalIgnores([
		'dist/**',
		'node_modules/**',
		'.n8n-runtime/**',
		'.bench-build/**',
		'coverage/**',
		'**/*.js',
		'**/*.mjs',
		'**/*.cjs',
	]),
	{
		files: ['**/*.ts'],
		extends: [
			js.configs.recommended,
			tseslint.configs.recommended,
			importX.flatConfigs.recommended,
		],
		rules: {
			'prefer-spread': 'off',
			'no-console': 'error',
		},
	},
	{
		files: shippedCode,
		extends: [selfHosted],
		rules: intendedRuntimeDependencies,
	},
	{
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		settings: {
			'import-x/resolver-next': [createTypeScriptImportResolver()],
		},
	},
	{
		files: ['package.json'],
		extends: [selfHosted],
		rules: {
			...n8nNodesBase.configs.community.rules,
			...intendedRuntimeDependencies,
		},
		languageOptions: {
			parser: tseslint.parser,
			parserOptions: { extraFileExtensions: ['.json'] },
		},
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
	{
		files: notShipped,
		rules: {
			'@typescript-eslint/no-non-null-assertion': 'off',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
			],
			// Benchmarks and diagnostics print their figures.
			'no-console': 'off',
		},
	},
);
