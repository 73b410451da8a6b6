import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packTarball } from './packTarball';
import { classifyFindings, type Classified, type ScanReport } from './scanFindings';

const run = promisify(execFile);

/** n8n's scanner analysis over the source folder and an unpacked tarball (see n8nScanner.mjs). */
export async function runScanner(repoRoot: string, unpackedTarball: string): Promise<ScanReport> {
	const script = join(repoRoot, 'scripts', 'package', 'n8nScanner.mjs');
	// The machine's Node runs it (ESLint needs nothing newer); jest's NODE_OPTIONS and NODE_ENV are
	// not passed on: with NODE_ENV=test, eslint-plugin-n8n-nodes-base lints every file as if it were
	// its own test fixture (file-name and error-class rules fire on every source file).
	const env = { ...process.env };
	delete env.NODE_OPTIONS;
	delete env.NODE_ENV;
	const { stdout } = await run(process.execPath, [script, repoRoot, unpackedTarball], {
		cwd: repoRoot,
		env,
		maxBuffer: 64 * 1024 * 1024,
		timeout: 300_000,
	});
	return JSON.parse(stdout) as ScanReport;
}

export interface PackScan {
	report: ScanReport;
	classified: Classified;
	runtimeDependencies: string[];
}

/** Packs the built repo, scans source + tarball and sorts the findings. */
export async function scanPack(repoRoot: string): Promise<PackScan> {
	const packed = await packTarball(repoRoot);
	try {
		const report = await runScanner(repoRoot, packed.dir);
		const manifest = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
			dependencies?: Record<string, string>;
		};
		const runtimeDependencies = Object.keys(manifest.dependencies ?? {});
		return {
			report,
			classified: classifyFindings(report, runtimeDependencies),
			runtimeDependencies,
		};
	} finally {
		await packed.cleanup();
	}
}
