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
] as const;

/**
 * Rules that the project's lint will enforce once it runs @n8n/node-cli's self-hosted config (parameter
 * style in node descriptions, credential tests the rule cannot see, the autoch.at trigger's webhook
 * registration). Tolerated here until then, and only while they still occur: a rule that no longer
 * fires must be taken off this list, so it can never come back unnoticed.
 */
export const PENDING_LINT_RULES: readonly string[] = [
	'n8n-nodes-base/node-param-collection-type-unsorted-items',
	'n8n-nodes-base/node-param-default-missing',
	'n8n-nodes-base/node-param-default-wrong-for-multi-options',
	'n8n-nodes-base/node-param-description-unencoded-angle-brackets',
	'n8n-nodes-base/node-param-display-name-miscased-id',
	'n8n-nodes-base/node-param-display-name-wrong-for-dynamic-multi-options',
	'@n8n/community-nodes/credential-test-required',
	'@n8n/community-nodes/webhook-lifecycle-complete',
];

export interface Classified {
	inherent: ScanFinding[];
	pendingLint: ScanFinding[];
	/** Errors the gate refuses. */
	unexpected: ScanFinding[];
	/** Warnings (the scanner passes them); shown, not gated. */
	warnings: ScanFinding[];
	/** Pending rules that fired nowhere: remove them from PENDING_LINT_RULES. */
	stalePending: string[];
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
		// Only the pack's declared runtime dependencies; a Node built-in or anything else is a real finding.
		return specifier !== undefined && runtimeDependencies.includes(packageOf(specifier));
	}
	return false;
}

export function classifyFindings(report: ScanReport, runtimeDependencies: readonly string[], pending: readonly string[] = PENDING_LINT_RULES): Classified {
	const result: Classified = { inherent: [], pendingLint: [], unexpected: [], warnings: [], stalePending: [] };
	for (const finding of report.legs.flatMap((leg) => leg.findings)) {
		if (finding.severity < 2) result.warnings.push(finding);
		else if (isInherent(finding, runtimeDependencies)) result.inherent.push(finding);
		else if (finding.leg === 'source' && finding.ruleId !== null && pending.includes(finding.ruleId)) result.pendingLint.push(finding);
		else result.unexpected.push(finding);
	}
	result.stalePending = pending.filter((rule) => !result.pendingLint.some((finding) => finding.ruleId === rule));
	return result;
}

export function describeFinding(finding: ScanFinding): string {
	return `${finding.leg}: ${finding.file}:${finding.line} ${finding.ruleId ?? '(parse error)'} — ${finding.message}`;
}
