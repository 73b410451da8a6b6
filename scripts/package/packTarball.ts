import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { systemPath } from '../runtime/processes';

const run = promisify(execFile);

/** What package.json says about the published package (the fields the checks read). */
export interface PackManifest {
	name: string;
	version: string;
	private?: boolean;
	main?: string;
	author?: { name?: string; email?: string } | string;
	homepage?: string;
	repository?: { type?: string; url?: string } | string;
	bugs?: { url?: string } | string;
	engines?: Record<string, string>;
	files?: string[];
	scripts?: Record<string, string>;
	dependencies?: Record<string, string>;
	devDependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	peerDependenciesMeta?: Record<string, { optional?: boolean }>;
	optionalDependencies?: Record<string, string>;
	n8n?: { n8nNodesApiVersion?: number; nodes?: string[]; credentials?: string[] };
}

export interface PackedPack {
	/** The .tgz `npm pack` wrote. */
	tarball: string;
	/** The tarball unpacked (its `package/` folder). */
	dir: string;
	/** Paths inside the package, as `npm pack` lists them. */
	files: string[];
	manifest: PackManifest;
	/** Deletes the working folder (tarball and unpacked copy). */
	cleanup(): Promise<void>;
}

/**
 * `npm pack` of the built repo, exactly what `npm publish` would upload, unpacked next to it. The
 * machine's own npm packs (not a node_modules/.bin one); nothing is built here: run `npm run build` first.
 */
export async function packTarball(
	repoRoot: string,
	parent: string = tmpdir(),
): Promise<PackedPack> {
	const work = await mkdtemp(join(parent, 'crm-sync-pack-'));
	try {
		const env = { ...process.env, PATH: systemPath() };
		const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], {
			cwd: repoRoot,
			env,
			maxBuffer: 32 * 1024 * 1024,
			timeout: 120_000,
		});
		const [result] = JSON.parse(stdout) as Array<{
			filename: string;
			files: Array<{ path: string }>;
		}>;
		if (result === undefined)
			throw new Error(`npm pack printed no result: ${stdout.slice(0, 500)}`);
		const tarball = join(work, result.filename);
		const dir = join(work, 'package');
		await mkdir(dir);
		await run('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1'], { timeout: 60_000 });
		const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as PackManifest;
		return {
			tarball,
			dir,
			files: result.files.map((file) => file.path).sort(),
			manifest,
			cleanup: () => rm(work, { recursive: true, force: true }),
		};
	} catch (error) {
		await rm(work, { recursive: true, force: true });
		throw error;
	}
}
