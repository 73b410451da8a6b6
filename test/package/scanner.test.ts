/**
 * n8n's scanner (@n8n/scan-community-package) over the source and the packed tarball: the only
 * findings are the ones inherent to a self-hosted pack with runtime dependencies, and the README
 * lists and justifies each. Needs `npm run build` first (npm test does it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { scanPack, type PackScan } from '../../scripts/package/scan';
import {
	COORDINATION_FOLDERS,
	describeFinding,
	importedModule,
	INHERENT_FINDINGS,
	packageOf,
	RESTRICTED_IMPORTS_RULE,
	RUNTIME_DEPENDENCIES_RULE,
	SOURCE_EXCEPTIONS,
} from '../../scripts/package/scanFindings';

const REPO_ROOT = resolve(__dirname, '..', '..');
let scan: PackScan;

beforeAll(async () => {
	scan = await scanPack(REPO_ROOT);
}, 280_000);

test('the scanner looked at the shipped sources and the whole tarball', () => {
	const legs = Object.fromEntries(scan.report.legs.map((leg) => [leg.leg, leg]));
	// Every node and credential source, and every compiled file.
	expect(legs.source?.filesScanned).toBeGreaterThan(150);
	expect(legs.tarball?.filesScanned).toBeGreaterThan(150);
	// Its own verdict agrees with the findings it reported (a leg with errors fails).
	for (const leg of scan.report.legs)
		expect(leg.passed).toBe(!leg.findings.some((finding) => finding.severity >= 2));
});

test('no finding beyond the accepted ones', () => {
	expect(scan.classified.unexpected.map(describeFinding)).toEqual([]);
	expect(scan.classified.staleExceptions).toEqual([]);
});

test('the inherent findings are the runtime dependencies, imports of exactly those packages, and the queue-mode coordination built-ins, in both legs', () => {
	const imports = scan.classified.inherent.filter(
		(finding) => finding.ruleId === RESTRICTED_IMPORTS_RULE,
	);
	const external = imports.filter(
		(finding) => !importedModule(finding.message)!.startsWith('node:'),
	);
	expect(
		external.every((finding) =>
			scan.runtimeDependencies.includes(packageOf(importedModule(finding.message)!)),
		),
	).toBe(true);
	// Built-ins and globals only where queue mode reaches n8n's Redis and settings.
	const coordination = scan.classified.inherent.filter(
		(finding) => finding.ruleId !== RUNTIME_DEPENDENCIES_RULE && !external.includes(finding),
	);
	expect(coordination.length).toBeGreaterThan(0);
	for (const finding of coordination)
		expect(COORDINATION_FOLDERS.some((folder) => finding.file.startsWith(folder))).toBe(true);
	for (const leg of ['source', 'tarball'] as const) {
		expect(
			scan.classified.inherent.filter(
				(finding) => finding.leg === leg && finding.file === 'package.json',
			),
		).toHaveLength(1);
	}
});

test('the README lists every inherent finding: the rule, and each runtime dependency the code imports', () => {
	const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
	const section = /^## n8n's scanner\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1] ?? '';
	expect(section).not.toBe('');
	for (const inherent of INHERENT_FINDINGS) expect(section).toContain(inherent.rule);
	const imported = new Set(
		scan.classified.inherent
			.map((finding) => importedModule(finding.message))
			.filter((name): name is string => name !== undefined)
			.map(packageOf),
	);
	for (const name of imported) expect(section).toContain(`\`${name}\``);
	for (const exception of SOURCE_EXCEPTIONS) {
		expect(section).toContain(exception.rule);
		expect(section).toContain(exception.file);
	}
});

/** Every `eslint-disable` comment in the shipped sources, as `file: rule`. */
function silencedInSource(): string[] {
	const silenced: string[] = [];
	for (const folder of ['nodes', 'credentials']) {
		const files = readdirSync(join(REPO_ROOT, folder), {
			recursive: true,
			encoding: 'utf8',
		}).filter((file) => file.endsWith('.ts'));
		for (const file of files) {
			const text = readFileSync(join(REPO_ROOT, folder, file), 'utf8');
			for (const match of text.matchAll(/eslint-disable(?:-next-line|-line)?\s+([^\n*]+)/g)) {
				for (const rule of match[1].split('--')[0].split(','))
					silenced.push(`${folder}/${file.split('\\').join('/')}: ${rule.trim()}`);
			}
		}
	}
	return silenced.sort();
}

test('the shipped sources silence a lint rule only where a listed exception says why', () => {
	expect(silencedInSource()).toEqual(
		SOURCE_EXCEPTIONS.map((exception) => `${exception.file}: ${exception.rule}`).sort(),
	);
});
