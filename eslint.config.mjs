import tseslint from 'typescript-eslint';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', '.n8n-runtime/**', '.bench-build/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
	...tseslint.configs.recommended,
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		...n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport,
		rules: {
			...n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport.rules,
			// This pack is for self-hosted n8n and calls the vendor SDKs the product requires
			// (@hubspot/api-client, jsforce, zod, luxon, libphonenumber-js), so runtime
			// dependencies are intended. The cloud-only globals/imports rules are already
			// absent from the "WithoutN8nCloudSupport" preset for the same reason.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
	{
		files: ['test/**/*.ts'],
		rules: {
			'@typescript-eslint/no-non-null-assertion': 'off',
		},
	},
	{
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
		},
	},
);
