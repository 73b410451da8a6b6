/**
 * Scrubbing of credentials from anything we show: error messages, CRM bodies, logs.
 * Known secrets are removed verbatim (and URL-encoded); well-known credential shapes
 * (Bearer headers, token/secret parameters) are removed even when we never saw the value.
 */
export const REDACTED = '***';

/** Shorter strings are not treated as secrets: redacting them would shred ordinary text. */
const MIN_SECRET_LENGTH = 6;

const SECRET_KEY_NAMES =
	'access_token|refresh_token|id_token|client_secret|client_assertion|api_key|apikey|api-key|password|assertion';

/** `Bearer xxx`, `Basic xxx` (header values quoted in messages or dumps). */
const AUTH_SCHEME_PATTERN = /\b(Bearer|Basic)\s+[^\s"',;}\]]+/gi;
/** `access_token=xxx` (form/query) and `"access_token": "xxx"` (JSON). */
const KEY_VALUE_PATTERN = new RegExp(
	`(["']?\\b(?:${SECRET_KEY_NAMES})\\b["']?\\s*[:=]\\s*["']?)([^"'&\\s,;}\\]]+)`,
	'gi',
);

/** Object keys whose values are always secret, whatever they contain. */
const SECRET_KEY_PATTERN = new RegExp(
	`^(?:authorization|cookie|set-cookie|${SECRET_KEY_NAMES}|token|secret)$`,
	'i',
);

function secretVariants(secrets: readonly string[]): string[] {
	const variants = new Set<string>();
	for (const secret of secrets) {
		if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) continue;
		variants.add(secret);
		const encoded = encodeURIComponent(secret);
		if (encoded !== secret) variants.add(encoded);
	}
	// Longest first, so a secret containing another is removed whole.
	return [...variants].sort((a, b) => b.length - a.length);
}

/** Removes every known secret and every credential-shaped fragment from a text. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
	let result = String(text);
	const variants = secretVariants(secrets);
	// Repeat until stable: removing one secret could join fragments into another one.
	for (let pass = 0; pass < 5; pass++) {
		const before = result;
		for (const secret of variants) result = result.split(secret).join(REDACTED);
		if (result === before) break;
	}
	return result
		.replace(AUTH_SCHEME_PATTERN, `$1 ${REDACTED}`)
		.replace(KEY_VALUE_PATTERN, `$1${REDACTED}`);
}

const MAX_DEPTH = 8;
const MAX_STRING = 10_000;

/**
 * A JSON-safe copy of a CRM response body with secrets removed from every string and
 * credential-named keys blanked. Cycles, functions and deep nesting are dropped.
 */
export function sanitizeBody(value: unknown, secrets: readonly string[]): unknown {
	const seen = new WeakSet<object>();
	const walk = (node: unknown, depth: number): unknown => {
		if (node === null || node === undefined) return node;
		if (typeof node === 'string')
			return redactSecrets(
				node.length > MAX_STRING ? `${node.slice(0, MAX_STRING)}…` : node,
				secrets,
			);
		if (typeof node === 'number' || typeof node === 'boolean') return node;
		if (typeof node === 'bigint') return node.toString();
		if (typeof node !== 'object') return undefined;
		if (depth >= MAX_DEPTH || seen.has(node)) return '[omitted]';
		seen.add(node);
		if (Buffer.isBuffer(node)) return walk(node.toString('utf8'), depth + 1);
		if (Array.isArray(node)) return node.map((entry) => walk(entry, depth + 1));
		const copy: Record<string, unknown> = {};
		for (const [key, entry] of Object.entries(node)) {
			copy[redactSecrets(key, secrets)] =
				SECRET_KEY_PATTERN.test(key) && entry !== null && entry !== ''
					? REDACTED
					: walk(entry, depth + 1);
		}
		return copy;
	};
	return walk(value, 0);
}
