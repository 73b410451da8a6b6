/**
 * n8n's community-package scanner (@n8n/scan-community-package) run on local folders.
 *
 * Its CLI only scans a version it downloads from the registry (after a provenance check), so an
 * unpublished pack cannot go through it. This runs the scanner's own exported analysis instead,
 * with the file sets its CLI uses: the source leg (`SOURCE_FILE_PATTERNS`: package.json and
 * nodes/ + credentials/ sources) and the tarball leg (the package's .js files and package.json).
 * Each leg reports the scanner's verdict (`analyzePackage`) and, for the gate, every ESLint
 * message of the same configuration (`buildScanConfig`) on the same files.
 *
 * Usage: node scripts/package/n8nScanner.mjs <sourceDir> <unpackedTarballDir>  → JSON on stdout
 * Plain ESM: the scanner is an ES module, and the project compiles TypeScript to CommonJS.
 */
import { createRequire } from 'node:module';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const scannerPath = require.resolve('@n8n/scan-community-package/scanner/scanner.mjs');
const scanner = await import(pathToFileURL(scannerPath).href);
// The scanner's own ESLint and glob, so the structured messages come from the same engine.
const fromScanner = createRequire(scannerPath);
const { ESLint } = await import(pathToFileURL(fromScanner.resolve('eslint')).href);
const glob = (await import(pathToFileURL(fromScanner.resolve('fast-glob')).href)).default;

const TARBALL_PATTERNS = ['**/*.js', 'package.json'];

async function lintLeg(leg, dir, patterns) {
	const verdict = await scanner.analyzePackage(dir, patterns);
	const files = glob.sync(patterns, {
		cwd: dir,
		absolute: true,
		ignore: ['node_modules/**', '**/package-lock.json'],
	});
	const eslint = new ESLint({
		cwd: dir,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await scanner.buildScanConfig(),
	});
	const results = files.length === 0 ? [] : await eslint.lintFiles(files);
	const findings = results.flatMap((result) =>
		result.messages.map((message) => ({
			leg,
			file: relative(dir, result.filePath).split('\\').join('/'),
			line: message.line ?? 0,
			ruleId: message.ruleId ?? null,
			severity: message.severity,
			message: message.message,
		})),
	);
	return {
		leg,
		filesScanned: files.length,
		passed: verdict.passed === true,
		message: verdict.message ?? null,
		findings,
	};
}

const [sourceDir, tarballDir] = process.argv.slice(2);
if (!sourceDir || !tarballDir) {
	process.stderr.write(
		'usage: node scripts/package/n8nScanner.mjs <sourceDir> <unpackedTarballDir>\n',
	);
	process.exit(2);
}
const legs = [
	await lintLeg('source', sourceDir, scanner.SOURCE_FILE_PATTERNS),
	await lintLeg('tarball', tarballDir, TARBALL_PATTERNS),
];
process.stdout.write(
	JSON.stringify({ scannerVersion: fromScanner('../package.json').version, legs }) + '\n',
);
