/** The pure parts of the package checks: scanner finding triage, release metadata, Node minimums. */
import {
	githubRepoOf,
	metadataProblems,
	releaseProblems,
	changelogHasVersion,
} from '../../scripts/package/releaseChecks';
import {
	classifyFindings,
	importedModule,
	packageOf,
	type ScanFinding,
	type ScanReport,
} from '../../scripts/package/scanFindings';
import { minimumOf, requiredNode } from '../../scripts/package/nodeEngines';
import type { PackManifest } from '../../scripts/package/packTarball';

const finding = (overrides: Partial<ScanFinding>): ScanFinding => ({
	leg: 'source',
	file: 'nodes/X/x.ts',
	line: 1,
	ruleId: '@n8n/community-nodes/no-restricted-imports',
	severity: 2,
	message:
		"Import of 'jsforce' is not allowed. n8n Cloud does not allow community nodes with dependencies.",
	...overrides,
});
const report = (...findings: ScanFinding[]): ScanReport => ({
	scannerVersion: '0.32.0',
	legs: [
		{ leg: 'source', filesScanned: 1, passed: findings.length === 0, message: null, findings },
	],
});

describe('scanner finding triage', () => {
	test('queue-mode coordination may use node:net/tls/fs and process, only in its own folder (source and tarball)', () => {
		const global = (name: string, file: string) =>
			finding({
				file,
				ruleId: '@n8n/community-nodes/no-restricted-globals',
				message: `Use of restricted global '${name}' is not allowed`,
			});
		const result = classifyFindings(
			report(
				finding({
					file: 'nodes/shared/coordination/redisClient.ts',
					message: "Import of 'node:net' is not allowed.",
				}),
				finding({
					file: 'dist/nodes/shared/coordination/redisClient.js',
					leg: 'tarball',
					message: "Require of 'node:tls' is not allowed.",
				}),
				global('process', 'nodes/shared/coordination/redisSettings.ts'),
				// The same outside the folder, or another built-in or global inside it: real findings.
				finding({
					file: 'nodes/shared/transport/runCall.ts',
					message: "Import of 'node:net' is not allowed.",
				}),
				finding({
					file: 'nodes/shared/coordination/redisClient.ts',
					message: "Import of 'node:child_process' is not allowed.",
				}),
				global('process', 'nodes/CrmLink/execute.ts'),
				global('setTimeout', 'nodes/shared/coordination/redisClient.ts'),
			),
			[],
			[],
		);
		expect(result.inherent.map((f) => f.file)).toEqual([
			'nodes/shared/coordination/redisClient.ts',
			'dist/nodes/shared/coordination/redisClient.js',
			'nodes/shared/coordination/redisSettings.ts',
		]);
		expect(result.unexpected).toHaveLength(4);
	});

	test('imports of declared runtime dependencies (and their subpaths) are inherent; built-ins and others are not', () => {
		const deps = ['jsforce', '@hubspot/api-client', 'libphonenumber-js'];
		const result = classifyFindings(
			report(
				finding({}),
				finding({ message: "Require of 'jsforce/lib/transport' is not allowed." }),
				finding({ message: "Import of '@hubspot/api-client/lib/codegen' is not allowed." }),
				finding({ message: "Import of 'node:http' is not allowed." }),
				finding({ message: "Import of 'axios' is not allowed." }),
				finding({ message: "Import of 'jsforce-evil' is not allowed." }),
			),
			deps,
			[],
		);
		expect(result.inherent).toHaveLength(3);
		expect(result.unexpected.map((f) => importedModule(f.message))).toEqual([
			'node:http',
			'axios',
			'jsforce-evil',
		]);
	});

	test('runtime dependencies are inherent only as the package.json finding', () => {
		const rule = '@n8n/community-nodes/no-runtime-dependencies';
		const result = classifyFindings(
			report(
				finding({ ruleId: rule, file: 'package.json' }),
				finding({ ruleId: rule, file: 'nodes/a.ts' }),
			),
			[],
			[],
		);
		expect(result.inherent.map((f) => f.file)).toEqual(['package.json']);
		expect(result.unexpected.map((f) => f.file)).toEqual(['nodes/a.ts']);
	});

	test('a listed exception is accepted in the source leg of its own file only, and one that no longer fires is reported', () => {
		const exceptions = [
			{
				rule: '@n8n/community-nodes/credential-test-required',
				file: 'credentials/A.credentials.ts',
				why: 'tested by the nodes',
			},
			{
				rule: '@n8n/community-nodes/webhook-lifecycle-complete',
				file: 'nodes/T/T.node.ts',
				why: 'no registration API',
			},
		];
		const rule = exceptions[0].rule;
		const result = classifyFindings(
			{
				scannerVersion: '0.32.0',
				legs: [
					{
						leg: 'source',
						filesScanned: 2,
						passed: false,
						message: null,
						findings: [
							finding({
								ruleId: rule,
								file: 'credentials/A.credentials.ts',
								message: 'must have a test',
							}),
							// The same rule on another credential is a real finding.
							finding({
								ruleId: rule,
								file: 'credentials/B.credentials.ts',
								message: 'must have a test',
							}),
						],
					},
					{
						leg: 'tarball',
						filesScanned: 2,
						passed: false,
						message: null,
						findings: [
							finding({
								leg: 'tarball',
								ruleId: rule,
								file: 'credentials/A.credentials.ts',
								message: 'must have a test',
							}),
						],
					},
				],
			},
			[],
			exceptions,
		);
		expect(result.excepted.map((f) => f.file)).toEqual(['credentials/A.credentials.ts']);
		expect(result.unexpected.map((f) => `${f.leg}:${f.file}`)).toEqual([
			'source:credentials/B.credentials.ts',
			'tarball:credentials/A.credentials.ts',
		]);
		expect(result.staleExceptions).toEqual([exceptions[1]]);
	});

	test('warnings are shown, never gated; a parse error (no rule) is not accepted', () => {
		const result = classifyFindings(
			report(
				finding({ severity: 1, ruleId: 'x/y' }),
				finding({ ruleId: null, message: 'Parsing error' }),
			),
			[],
			[],
		);
		expect(result.warnings).toHaveLength(1);
		expect(result.unexpected).toHaveLength(1);
	});

	test.each([
		['jsforce', 'jsforce'],
		['jsforce/lib/transport', 'jsforce'],
		['@hubspot/api-client', '@hubspot/api-client'],
		['@hubspot/api-client/lib/x', '@hubspot/api-client'],
	])('packageOf(%s) = %s', (specifier, name) => expect(packageOf(specifier)).toBe(name));
});

const manifest = (overrides: Partial<PackManifest> = {}): PackManifest => ({
	name: 'n8n-nodes-crm-sync',
	version: '1.2.3',
	author: { name: 'Maintainers', email: 'team@example.com' },
	homepage: 'https://github.com/acme/n8n-nodes-crm-sync#readme',
	repository: { type: 'git', url: 'git+https://github.com/acme/n8n-nodes-crm-sync.git' },
	bugs: { url: 'https://github.com/acme/n8n-nodes-crm-sync/issues' },
	engines: { node: '>=22.19' },
	n8n: { n8nNodesApiVersion: 1, nodes: ['dist/nodes/A.node.js'] },
	...overrides,
});

describe('release metadata', () => {
	test.each([
		['git+https://github.com/acme/pack.git', 'acme/pack'],
		['https://github.com/acme/pack', 'acme/pack'],
		['https://github.com/acme/pack#readme', 'acme/pack'],
		['github:acme/pack', 'acme/pack'],
		['https://gitlab.com/acme/pack', undefined],
		[undefined, undefined],
	])('githubRepoOf(%s) = %s', (url, repo) => expect(githubRepoOf(url)).toBe(repo));

	test('complete metadata has no problem; each missing or inconsistent field is named', () => {
		expect(metadataProblems(manifest())).toEqual([]);
		expect(metadataProblems(manifest({ author: { name: 'x' } }))).toEqual([
			'author needs a name and an email',
		]);
		expect(metadataProblems(manifest({ homepage: 'https://github.com/other/pack' }))[0]).toMatch(
			/^homepage .* must point at the repository acme\/n8n-nodes-crm-sync/,
		);
		expect(metadataProblems(manifest({ bugs: undefined }))[0]).toMatch(/^bugs \(missing\)/);
		expect(metadataProblems(manifest({ private: true, engines: {} }))).toEqual([
			'package.json is private',
			'engines.node is missing',
		]);
	});

	test('a release needs the matching tag, the same repository and a changelog section', () => {
		const changelog = '# Changelog\n\n## [1.2.3] - 2026-12-01\n';
		expect(releaseProblems(manifest(), 'v1.2.3', 'acme/n8n-nodes-crm-sync', changelog)).toEqual([]);
		expect(releaseProblems(manifest(), 'v1.2.4', 'acme/n8n-nodes-crm-sync', changelog)).toEqual([
			'the tag v1.2.4 is not v1.2.3 (package.json version)',
		]);
		expect(releaseProblems(manifest(), 'v1.2.3', 'fork/n8n-nodes-crm-sync', changelog)[0]).toMatch(
			/npm rejects provenance from another repository/,
		);
		expect(releaseProblems(manifest(), 'v1.2.3', 'acme/n8n-nodes-crm-sync', '## [1.2.30]')).toEqual(
			['CHANGELOG.md has no "## [1.2.3]" section'],
		);
		expect(changelogHasVersion('## [1.2.3]', '1.2.3')).toBe(true);
		expect(changelogHasVersion('## [1x2x3]', '1.2.3')).toBe(false);
	});
});

describe('Node minimums', () => {
	test.each([
		['>=22.19.0', [22, 19, 0]],
		['>=22.19', [22, 19, 0]],
		['^18.17.0 || >=20.5.0', [18, 17, 0]],
		['>= 14', [14, 0, 0]],
		['18.x || 20.x', [18, 0, 0]],
		['*', undefined],
	])('minimumOf(%s)', (range, expected) => expect(minimumOf(range)).toEqual(expected));

	test('the highest minimum wins and names who sets it', () => {
		expect(
			requiredNode([
				{ name: 'a', engines: { node: '>=18' } },
				{ name: 'b', engines: { node: '>=22.19.0' } },
				{ name: 'c' },
				{ name: 'd', engines: { node: '>=22.19' } },
			]),
		).toEqual({
			version: [22, 19, 0],
			setBy: ['b', 'd'],
		});
	});
});
