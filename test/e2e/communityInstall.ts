/**
 * Installs a packed tarball into an n8n user folder the way n8n's Community Nodes installer does
 * (the same steps in n8n 1.123 and 2.41, CommunityPackagesService.downloadPackage):
 *
 * 1. `npm pack <spec> --quiet` in `<userFolder>/.n8n/nodes` — here the spec is the local tarball,
 *    because the pack is not on the registry yet; npm copies it into the folder the same way;
 * 2. unpack it into `nodes/node_modules/<name>` (`tar -xzf … --strip-components=1`);
 * 3. drop `devDependencies`, `peerDependencies` and `optionalDependencies` from its package.json;
 * 4. `npm install --audit=false --fund=false --bin-links=false --install-strategy=shallow
 *    --ignore-scripts=true --package-lock=false` inside the package folder;
 * 5. record `name: version` in `nodes/package.json` and delete the copied tarball.
 *
 * npm runs with the runtime's Node first on PATH, as it does when n8n spawns it. n8n also stores
 * the package in its database; a package found in nodes/node_modules loads without that record.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { N8nRuntime } from '../../scripts/runtime/installN8n';
import { pathWith, systemPath } from '../../scripts/runtime/processes';

const run = promisify(execFile);

export interface CommunityInstall {
	/** `<userFolder>/.n8n/nodes/node_modules/<name>` */
	packageDir: string;
	/** The package.json as installed (without dev, peer and optional dependencies). */
	manifest: { name: string; version: string; dependencies?: Record<string, string> };
	installMs: number;
}

export async function installLikeCommunityNodes(
	tarball: string,
	userFolder: string,
	runtime: Pick<N8nRuntime, 'nodeBinDir'>,
): Promise<CommunityInstall> {
	const started = Date.now();
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	await mkdir(join(nodesDir, 'node_modules'), { recursive: true });
	const options = {
		cwd: nodesDir,
		env: { ...process.env, PATH: pathWith(runtime.nodeBinDir, systemPath()) },
		timeout: 300_000,
		maxBuffer: 32 * 1024 * 1024,
	};
	const { stdout } = await run('npm', ['pack', tarball, '--quiet'], options);
	const tarballName = stdout.trim().split('\n').pop() ?? '';
	const copied = join(nodesDir, tarballName);
	try {
		const { name } = JSON.parse(
			(await run('tar', ['-xzOf', copied, 'package/package.json'], options)).stdout,
		) as { name: string };
		const packageDir = join(nodesDir, 'node_modules', name);
		await rm(packageDir, { recursive: true, force: true });
		await mkdir(packageDir, { recursive: true });
		await run('tar', ['-xzf', tarballName, '-C', packageDir, '--strip-components=1'], options);
		const packageJsonPath = join(packageDir, 'package.json');
		const {
			devDependencies: _dev,
			peerDependencies: _peer,
			optionalDependencies: _optional,
			...manifest
		} = JSON.parse(await readFile(packageJsonPath, 'utf8')) as CommunityInstall['manifest'] &
			Record<string, unknown>;
		await writeFile(packageJsonPath, JSON.stringify(manifest, null, 2), 'utf8');
		await run(
			'npm',
			[
				'install',
				'--audit=false',
				'--fund=false',
				'--bin-links=false',
				'--install-strategy=shallow',
				'--ignore-scripts=true',
				'--package-lock=false',
			],
			{ ...options, cwd: packageDir },
		);
		await recordInLedger(nodesDir, manifest.name, manifest.version);
		return { packageDir, manifest, installMs: Date.now() - started };
	} finally {
		await rm(copied, { force: true });
	}
}

/** `nodes/package.json`: n8n's list of installed community packages. */
async function recordInLedger(nodesDir: string, name: string, version: string): Promise<void> {
	const file = join(nodesDir, 'package.json');
	const ledger = await readFile(file, 'utf8').then(
		(text) => JSON.parse(text) as { dependencies?: Record<string, string> },
		() => ({ name: 'installed-nodes', private: true, dependencies: {} as Record<string, string> }),
	);
	ledger.dependencies = { ...ledger.dependencies, [name]: version };
	await writeFile(file, JSON.stringify(ledger, null, 2), 'utf8');
}
