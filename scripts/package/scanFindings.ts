/**
 * Which of n8n's scanner findings the pack accepts, and why. The scanner is written for packs
 * that n8n Cloud could run: no runtime dependencies, no imports beyond a short list. This pack is
 * for self-hosted n8n and calls the CRM vendors' SDKs, so two kinds of finding are inherent to it
 * and listed in the README; anything else fails the gate.
 */

export type ScanLegName = 'source' | 'tarball';

export interface ScanFinding {
	leg: ScanLegName;
	/** Relative to the scanned folder, with forward slashes. */
	file: string;
	line: number;
	ruleId: string | null;
	/** ESLint severity: 2 = error (fails the scanner), 1 = warning. */
	severity: number;
	message: string;
}

export interface ScanLeg {
	leg: ScanLegName;
	filesScanned: number;
	/** The scanner's own verdict for this leg. */
	passed: boolean;
	message: string | null;
	findings: ScanFinding[];
}

export interface ScanReport {
	scannerVersion: string;
	legs: ScanLeg[];
}

export const RUNTIME_DEPENDENCIES_RULE = '@n8n/community-nodes/no-runtime-dependencies';
export const RESTRICTED_IMPORTS_RULE = '@n8n/community-nodes/no-restricted-imports';
export const RESTRICTED_GLOBALS_RULE = '@n8n/community-nodes/no-restricted-globals';

/**
 * Queue mode: every n8n process must share locks and rate limits through the Redis n8n's queue
 * already uses. That needs n8n's own settings (the `QUEUE_BULL_*` environment, `_FILE` variants
 * read from disk) and a socket to Redis; nothing else in the pack touches these.
 */
export const COORDINATION_FOLDERS = [
	'nodes/shared/coordination/',
	'dist/nodes/shared/coordination/',
] as const;
export const COORDINATION_BUILTINS = ['node:net', 'node:tls', 'node:fs'] as const;
export const COORDINATION_GLOBALS = ['process'] as const;

/** The inherent findings, as the README lists them (its "n8n's scanner" section names each rule). */
export const INHERENT_FINDINGS = [
	{
		rule: RUNTIME_DEPENDENCIES_RULE,
		what: 'package.json declares runtime `dependencies`',
	},
	{
		rule: RESTRICTED_IMPORTS_RULE,
		what: 'the code imports those dependencies (the vendor SDKs and the phone-number library)',
	},
	{
		rule: RESTRICTED_GLOBALS_RULE,
		what: "queue-mode coordination reads n8n's `QUEUE_BULL_*` settings from `process.env` (and `node:fs` for `_FILE` values) and talks to that Redis over `node:net` / `node:tls`, only in `nodes/shared/coordination/`",
	},
] as const;

function inCoordination(file: string): boolean {
	return COORDINATION_FOLDERS.some((folder) => file.startsWith(folder));
}

export interface SourceException {
	rule: string;
	file: string;
	why: string;
}

/**
 * Findings the project's lint (n8n's self-hosted config) also raises and that the source silences
 * with an `eslint-disable-next-line` comment saying why; the scanner ignores such comments, so it
 * still reports them. Each is accepted in the source leg of its own file only, and only while it
 * still fires: one that no longer does must be taken off this list. The README lists them.
 */
export const SOURCE_EXCEPTIONS: readonly SourceException[] = [
	{
		rule: '@n8n/community-nodes/credential-test-required',
		file: 'credentials/CrmSyncSalesforceClientCredentialsApi.credentials.ts',
		why: 'tested by the CRM nodes through testedBy, set by a helper the rule cannot follow',
	},
	{
		rule: '@n8n/community-nodes/credential-test-required',
		file: 'credentials/CrmSyncDynamicsClientCredentialsApi.credentials.ts',
		why: 'tested by the CRM nodes through testedBy, set by a helper the rule cannot follow',
	},
	{
		rule: '@n8n/community-nodes/webhook-lifecycle-complete',
		file: 'nodes/AutochatCrmTrigger/AutochatCrmTrigger.node.ts',
		why: "autoch.at's API has no endpoint to register a webhook: the user pastes the URL into autoch.at CRM",
	},
];

function exceptionFor(
	finding: ScanFinding,
	exceptions: readonly SourceException[],
): SourceException | undefined {
	if (finding.leg !== 'source') return undefined;
	return exceptions.find(
		(exception) => exception.rule === finding.ruleId && exception.file === finding.file,
	);
}

export interface Classified {
	inherent: ScanFinding[];
	/** Findings of SOURCE_EXCEPTIONS. */
	excepted: ScanFinding[];
	/** Errors the gate refuses. */
	unexpected: ScanFinding[];
	/** Warnings (the scanner passes them); shown, not gated. */
	warnings: ScanFinding[];
	/** Exceptions that fired nowhere: remove them from SOURCE_EXCEPTIONS. */
	staleExceptions: SourceException[];
}

/** The module an import finding names: `Import of 'jsforce/lib/transport' is not allowed` → `jsforce/lib/transport`. */
export function importedModule(message: string): string | undefined {
	return /^(?:Import|Require|Dynamic import) of '([^']+)'/.exec(message)?.[1];
}

/** `jsforce/lib/transport` → `jsforce`; `@hubspot/api-client/lib/x` → `@hubspot/api-client`. */
export function packageOf(specifier: string): string {
	const parts = specifier.split('/');
	return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

export function isInherent(finding: ScanFinding, runtimeDependencies: readonly string[]): boolean {
	if (finding.ruleId === RUNTIME_DEPENDENCIES_RULE) return finding.file === 'package.json';
	if (finding.ruleId === RESTRICTED_IMPORTS_RULE) {
		const specifier = importedModule(finding.message);
		if (specifier === undefined) return false;
		if (
			inCoordination(finding.file) &&
			(COORDINATION_BUILTINS as readonly string[]).includes(specifier)
		)
			return true;
		// Otherwise only the pack's declared runtime dependencies; any other built-in is a real finding.
		return runtimeDependencies.includes(packageOf(specifier));
	}
	if (finding.ruleId === RESTRICTED_GLOBALS_RULE) {
		const global = /restricted global '([^']+)'/.exec(finding.message)?.[1];
		return (
			inCoordination(finding.file) &&
			global !== undefined &&
			(COORDINATION_GLOBALS as readonly string[]).includes(global)
		);
	}
	return false;
}

export function classifyFindings(
	report: ScanReport,
	runtimeDependencies: readonly string[],
	exceptions: readonly SourceException[] = SOURCE_EXCEPTIONS,
): Classified {
	const result: Classified = {
		inherent: [],
		excepted: [],
		unexpected: [],
		warnings: [],
		staleExceptions: [],
	};
	for (const finding of report.legs.flatMap((leg) => leg.findings)) {
		if (finding.severity < 2) result.warnings.push(finding);
		else if (isInherent(finding, runtimeDependencies)) result.inherent.push(finding);
		else if (exceptionFor(finding, exceptions)) result.excepted.push(finding);
		else result.unexpected.push(finding);
	}
	result.staleExceptions = exceptions.filter(
		(exception) => !result.excepted.some((finding) => exceptionFor(finding, [exception])),
	);
	return result;
}

export function describeFinding(finding: ScanFinding): string {
	return `${finding.leg}: ${finding.file}:${finding.line} ${finding.ruleId ?? '(parse error)'} — ${finding.message}`;
}
