/**
 * `npm run scan` (after `npm run build`): n8n's community-package scanner analysis over the source
 * and the packed tarball. Exits 1 on any finding that is neither inherent to a self-hosted pack with
 * runtime dependencies nor a listed exception silenced in the source (both listed in the README).
 */
import { findRepoRoot } from './runtime/repoRoot';
import { scanPack } from './package/scan';
import { describeFinding, INHERENT_FINDINGS, SOURCE_EXCEPTIONS } from './package/scanFindings';

const say = (line: string): void => void process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
	const { report, classified } = await scanPack(findRepoRoot(__dirname, process.cwd()));
	say(`@n8n/scan-community-package ${report.scannerVersion}`);
	for (const leg of report.legs)
		say(
			`${leg.leg}: ${leg.filesScanned} files, scanner verdict ${leg.passed ? 'passed' : `failed (${leg.message})`}`,
		);
	for (const inherent of INHERENT_FINDINGS) {
		say(
			`inherent, accepted: ${inherent.rule} (${inherent.what}): ${classified.inherent.filter((finding) => finding.ruleId === inherent.rule).length}`,
		);
	}
	for (const exception of SOURCE_EXCEPTIONS)
		say(
			`silenced in the source, accepted: ${exception.rule} in ${exception.file} (${exception.why})`,
		);
	for (const warning of classified.warnings) say(`warning: ${describeFinding(warning)}`);
	for (const finding of classified.unexpected) say(`NOT ACCEPTED: ${describeFinding(finding)}`);
	for (const stale of classified.staleExceptions)
		say(`NO LONGER FOUND, remove it from SOURCE_EXCEPTIONS: ${stale.rule} in ${stale.file}`);
	const failed = classified.unexpected.length > 0 || classified.staleExceptions.length > 0;
	say(failed ? 'scan: failed' : 'scan: only the accepted findings');
	return failed ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		process.stderr.write(
			`scan failed: ${error instanceof Error ? error.message : String(error)}\n`,
		);
		process.exit(1);
	},
);
