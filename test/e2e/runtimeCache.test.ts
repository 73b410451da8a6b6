/**
 * The runtime cache with a real `npm ci` from the registry, on a one-package definition
 * (is-number) so each install takes seconds: reuse without npm, a damaged or partial entry
 * rebuilt, a failed check leaving nothing behind, two concurrent callers installing once,
 * and the registry refusing a pinned tarball explained instead of npm's raw error.
 * The full n8n definition is installed from its committed lock in runtimeInstall.test.ts.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explainRefusal, findRefusal } from '../../scripts/runtime/npmFailure';
import {
	ensureCachedInstall,
	entryDir,
	MANIFEST,
	type CacheSpec,
} from '../../scripts/runtime/runtimeCache';
import { definitionHash, readRuntimeDefinition } from '../../scripts/runtime/runtimePackage';
import { REPO_ROOT } from './harness';

const IS_NUMBER_INTEGRITY =
	'sha512-41Cifkg6e8TylSpdtTpeLVMqvSBEVzTttHvERD741+pnZ8ANv0004MRL43QKPDlK9cGvNp6NZWZUBlbGXYxxng==';

function definition(
	version: string,
	integrity: string,
): Pick<CacheSpec, 'packageText' | 'lockText' | 'hash'> {
	const packageText =
		JSON.stringify(
			{ name: 'cache-probe', private: true, dependencies: { 'is-number': version } },
			null,
			2,
		) + '\n';
	const lock = {
		name: 'cache-probe',
		lockfileVersion: 3,
		requires: true,
		packages: {
			'': { name: 'cache-probe', dependencies: { 'is-number': version } },
			'node_modules/is-number': {
				version,
				resolved: `https://registry.npmjs.org/is-number/-/is-number-${version}.tgz`,
				integrity,
				license: 'MIT',
				engines: { node: '>=0.12.0' },
			},
		},
	};
	const lockText = JSON.stringify(lock, null, 2) + '\n';
	return { packageText, lockText, hash: definitionHash(packageText, lockText) };
}

let root: string;
let lines: string[];
const spec = (extra: Partial<CacheSpec> = {}): CacheSpec => ({
	cacheRoot: root,
	lockLabel: 'probe/package-lock.json',
	log: (line) => void lines.push(line),
	timeoutMs: 120_000,
	// npm retries a bad tarball with 10-60 s pauses; one attempt shows the same error.
	npmEnv: { npm_config_fetch_retries: '0' },
	...definition('7.0.0', IS_NUMBER_INTEGRITY),
	...extra,
});

beforeEach(async () => {
	root = await mkdtemp(join(tmpdir(), 'crm-sync-cache-test-'));
	lines = [];
});
afterEach(() => rm(root, { recursive: true, force: true }));

test('installs once from the lock, then reuses the entry without running npm', async () => {
	const first = await ensureCachedInstall(spec());
	expect(first).toEqual({ dir: entryDir(root, spec().hash), installed: true });
	expect(
		JSON.parse(await readFile(join(first.dir, 'node_modules', 'is-number', 'package.json'), 'utf8'))
			.version,
	).toBe('7.0.0');
	const manifest = JSON.parse(await readFile(join(first.dir, MANIFEST), 'utf8')) as {
		hash: string;
		packages: string[];
	};
	expect(manifest).toMatchObject({ hash: spec().hash, packages: ['is-number'] });

	lines = [];
	const started = Date.now();
	const second = await ensureCachedInstall(spec());
	expect(second).toEqual({ dir: first.dir, installed: false });
	expect(lines).toEqual([]);
	expect(Date.now() - started).toBeLessThan(5_000);
	// Only the entry and the install log: no partial folder, no lock left.
	expect((await readdir(root)).sort()).toEqual(
		[first.dir.split('/').pop(), `${first.dir.split('/').pop()}.install.log`].sort(),
	);
});

test('a damaged entry (a package deleted) and a partial one (no manifest) are rebuilt', async () => {
	const { dir } = await ensureCachedInstall(spec());
	await rm(join(dir, 'node_modules', 'is-number'), { recursive: true });
	lines = [];
	expect((await ensureCachedInstall(spec())).installed).toBe(true);
	expect(lines.join('\n')).toMatch(/unusable: packages are missing from it \(is-number/);
	expect(existsSync(join(dir, 'node_modules', 'is-number', 'package.json'))).toBe(true);

	await rm(join(dir, MANIFEST));
	lines = [];
	expect((await ensureCachedInstall(spec())).installed).toBe(true);
	expect(lines.join('\n')).toMatch(/unusable: it has no install manifest/);
});

test('an entry of another definition is not reused, and only one older entry is kept', async () => {
	const old = await ensureCachedInstall(spec());
	const other = definition(
		'6.0.0',
		'sha512-Wu1VHeILBK8KAWJUAiSZQX94GmOE45Rg6/538fKwiloUu21KncEkYGPqob2oSZ5mUT73vLGrHQjKw3KMPwfDzg==',
	);
	const newer = await ensureCachedInstall(spec(other));
	expect(newer.installed).toBe(true);
	expect(newer.dir).not.toBe(old.dir);
	// Both kept (keepOthers = 1); a third definition pushes the oldest out.
	expect(existsSync(old.dir)).toBe(true);
	const third = definition(
		'5.0.0',
		'sha512-LmVHHP5dTJwrwZg2Jjqp7K5jpvcnYvYD1LMpvGadMsMv5+WXoDSLBQ0+zmuBJmuZGh2J2K845ygj/YukxUnr4A==',
	);
	await ensureCachedInstall(spec(third));
	expect(existsSync(old.dir)).toBe(false);
	expect(existsSync(newer.dir)).toBe(true);
});

test('a failed check leaves no entry behind and the next call installs again', async () => {
	await expect(
		ensureCachedInstall(spec({ check: async () => Promise.reject(new Error('wrong version')) })),
	).rejects.toThrow('wrong version');
	expect(await readdir(root)).toEqual([expect.stringMatching(/\.install\.log$/)]);
	expect((await ensureCachedInstall(spec())).installed).toBe(true);
});

test('two concurrent callers install once; the second waits and reuses', async () => {
	const [a, b] = await Promise.all([ensureCachedInstall(spec()), ensureCachedInstall(spec())]);
	expect([a.installed, b.installed].sort()).toEqual([false, true]);
	expect(a.dir).toBe(b.dir);
});

test("a dead installer's lock is taken over", async () => {
	const dir = entryDir(root, spec().hash);
	await mkdir(`${dir}.lock`, { recursive: true });
	await writeFile(join(`${dir}.lock`, 'pid'), '2147483646'); // no such process
	expect((await ensureCachedInstall(spec())).installed).toBe(true);
});

test('a version the registry does not have: which package, and what to do', async () => {
	// A checksum npm's cache has never seen, so npm must ask the registry.
	const error = await ensureCachedInstall(
		spec(definition('99.0.0', `sha512-${'B'.repeat(86)}==`)),
	).then(
		() => undefined,
		(caught: Error) => caught,
	);
	expect(error?.message).toMatch(
		/^Installing the n8n runtime failed: the registry \(https:\/\/registry\.npmjs\.org\/\) does not have is-number@99\.0\.0, which probe\/package-lock\.json pins \(npm E404\)/,
	);
	expect(error?.message).toMatch(/npm run runtime:lock/);
	expect(error?.message).not.toMatch(/npm error/);
});

test('a tarball that does not match the pinned checksum is named too', async () => {
	const bad = definition('7.0.0', `sha512-${'A'.repeat(86)}==`);
	await expect(ensureCachedInstall(spec(bad))).rejects.toThrow(
		/the registry's tarball for is-number@7\.0\.0 does not match the checksum pinned in probe\/package-lock\.json \(npm EINTEGRITY\)/,
	);
});

test('npm\'s "no matching version" (the drift that used to fail CI) is explained the same way', () => {
	const output = [
		'npm error code ETARGET',
		'npm error notarget No matching version found for @ai-sdk/deepseek@3.0.92.',
		'npm error notarget In most cases you or one of your dependencies are requesting',
	];
	const refusal = findRefusal(output);
	expect(refusal).toEqual({ code: 'ETARGET', spec: '@ai-sdk/deepseek@3.0.92' });
	expect(explainRefusal(refusal!, 'https://registry.npmjs.org/', 'lock.json')).toMatch(
		/does not have @ai-sdk\/deepseek@3\.0\.92, which lock\.json pins/,
	);
	expect(
		findRefusal([
			'npm error code E404',
			'npm error 404 Not Found - GET https://registry.npmjs.org/@scope/pkg/-/pkg-1.2.3.tgz',
		]),
	).toEqual({
		code: 'E404',
		spec: '@scope/pkg@1.2.3',
	});
	expect(
		findRefusal([
			'npm error code E404',
			'npm error 404 Not Found - GET https://registry.example/npm/left-pad/-/left-pad-1.3.0.tgz',
		]),
	).toEqual({
		code: 'E404',
		spec: 'left-pad@1.3.0',
	});
	expect(findRefusal(['npm error code ENOSPC'])).toBeUndefined();
});

test('the committed runtime definition: n8n and Node pinned, the lock agrees with package.json', () => {
	const runtime = readRuntimeDefinition(REPO_ROOT);
	expect(runtime.packageJson.dependencies).toEqual({ n8n: '2.41.1', node: '24.21.0' });
	expect(runtime.packageJson.overrides).toEqual({ linkedom: '0.18.14' });
	expect(runtime.packageJson.allowScripts?.['@confluentinc/kafka-javascript']).toBe(false);
	const lock = JSON.parse(runtime.lockText) as {
		lockfileVersion: number;
		packages: Record<
			string,
			{
				version?: string;
				dependencies?: Record<string, string>;
				resolved?: string;
				integrity?: string;
				extraneous?: boolean;
			}
		>;
	};
	expect(lock.lockfileVersion).toBe(3);
	expect(lock.packages[''].dependencies).toEqual(runtime.packageJson.dependencies);
	expect(lock.packages['node_modules/n8n'].version).toBe('2.41.1');
	expect(lock.packages['node_modules/node'].version).toBe('24.21.0');
	expect(lock.packages['node_modules/linkedom'].version).toBe('0.18.14');
	const entries = Object.entries(lock.packages).filter(([path]) => path !== '');
	// Every entry pinned to a registry tarball with a checksum (links and bundled entries excepted).
	const unpinned = entries.filter(
		([, entry]) =>
			entry.version &&
			entry.resolved &&
			!(entry.resolved.startsWith('https://registry.npmjs.org/') && entry.integrity),
	);
	expect(unpinned.map(([path]) => path)).toEqual([]);
	expect(entries.filter(([, entry]) => entry.extraneous)).toEqual([]);
});
