/**
 * Whole-word keyword search that works for any script: case-insensitive, Unicode-normalised
 * (NFC, so "café" typed with a combining accent still matches), and a "word" boundary is any
 * character that is not a letter, mark or digit — so "pricing" does not match "repricing",
 * and "Straße" or "цена" match as words too. A keyword with spaces matches the same words
 * separated by any whitespace.
 */
export type KeywordMode = 'any' | 'all';

const WORD_CHAR = '[\\p{L}\\p{M}\\p{N}]';

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function keywordPattern(keyword: string): RegExp {
	const words = keyword.normalize('NFC').trim().split(/\s+/u).map(escapeRegExp);
	return new RegExp(`(?<!${WORD_CHAR})${words.join('\\s+')}(?!${WORD_CHAR})`, 'iu');
}

export function containsKeyword(text: string, keyword: string): boolean {
	if (keyword.trim() === '') return false;
	return keywordPattern(keyword).test(text.normalize('NFC'));
}

/** Which keywords occur in the text (kept in the given order, blanks ignored). */
export function matchKeywords(
	text: string,
	keywords: readonly string[],
): { found: string[]; missing: string[] } {
	const normalised = text.normalize('NFC');
	const found: string[] = [];
	const missing: string[] = [];
	for (const keyword of keywords) {
		if (keyword.trim() === '') continue;
		(keywordPattern(keyword).test(normalised) ? found : missing).push(keyword.trim());
	}
	return { found, missing };
}

/** Splits a comma- or newline-separated keyword list from a node parameter. */
export function parseKeywordList(raw: string): string[] {
	return raw
		.split(/[,\n]/u)
		.map((keyword) => keyword.trim())
		.filter((keyword) => keyword !== '');
}
