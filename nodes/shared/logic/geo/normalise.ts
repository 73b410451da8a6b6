/**
 * The comparison form of a place name: letters (of any script) and digits only, lower case, accents
 * removed, words separated by one space, `&` read as "and" and `St.` before a name as "Saint". Two
 * spellings a person would call the same ("U.S.", "u s", "US") meet in one form.
 */

const COMBINING_MARKS = /[\u0300-\u036f]/g;
/** Letters that NFD does not split into a base letter and a mark. */
const FOLDED_LETTERS: Readonly<Record<string, string>> = {
	ß: 'ss',
	æ: 'ae',
	ø: 'o',
	œ: 'oe',
	ł: 'l',
	đ: 'd',
	ð: 'd',
	þ: 'th',
	ı: 'i',
};

/** Lower case, without accents, punctuation or repeated spaces; idempotent. */
export function normalisePlace(text: string): string {
	const words = text
		.normalize('NFD')
		.replace(COMBINING_MARKS, '')
		.toLowerCase()
		.replace(/[ßæøœłđðþı]/g, (letter) => FOLDED_LETTERS[letter] ?? letter)
		.replace(/&/g, ' and ')
		// An apostrophe joins ("Côte d'Ivoire" → "cote divoire"); other punctuation separates.
		.replace(/['’`´]/g, '')
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim()
		.split(' ')
		.filter((word) => word !== '');
	// "St." before a name is Saint; a last or only "st" stays (the codes ST, DE-ST).
	return words
		.map((word, index) => (word === 'st' && index < words.length - 1 ? 'saint' : word))
		.join(' ');
}

/**
 * The form a short code is compared in: the same, with the spaces between single letters
 * closed up ("u s a" from "U.S.A." → "usa").
 */
export function compactInitials(normalised: string): string {
	return /^([a-z] )+[a-z]$/.test(normalised) ? normalised.replace(/ /g, '') : normalised;
}
