/**
 * Plain text → HTML for CRM fields shown as rich text (HubSpot engagement bodies,
 * Salesforce ContentNote, Dataverse notes and activity descriptions). Every character the
 * caller wrote is escaped, so nothing in it can become markup; a blank line starts a new
 * paragraph and a single line break becomes <br>.
 */
const HTML_ESCAPES: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&#39;',
};

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

export function plainTextToHtml(text: string): string {
	const paragraphs = text
		.replace(/\r\n?/g, '\n')
		.split(/\n[ \t]*\n+/)
		.map((paragraph) => paragraph.trim())
		.filter((paragraph) => paragraph !== '');
	return paragraphs
		.map((paragraph) => `<p>${paragraph.split('\n').map(escapeHtml).join('<br>')}</p>`)
		.join('');
}

const NAMED_ENTITIES: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	nbsp: ' ',
};

function decodeEntity(entity: string, inner: string): string {
	if (inner.startsWith('#')) {
		const code =
			inner[1] === 'x' || inner[1] === 'X'
				? Number.parseInt(inner.slice(2), 16)
				: Number.parseInt(inner.slice(1), 10);
		return Number.isInteger(code) && code > 0 && code <= 0x10ffff
			? String.fromCodePoint(code)
			: entity;
	}
	return NAMED_ENTITIES[inner.toLowerCase()] ?? entity;
}

/**
 * Rich text (HubSpot engagement bodies, email HTML) → plain text for fields that show text as
 * typed: block ends and <br> become line breaks, every other tag goes, script and style
 * contents are dropped, entities are decoded once, and runs of blank lines shrink to one.
 */
export function htmlToPlainText(html: string): string {
	const text = html
		.replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
		.replace(/<!--[\s\S]*?-->/g, '')
		.replace(/<br\s*\/?>/gi, '\n')
		.replace(/<\/(p|div|li|h[1-6]|tr|blockquote)\s*>/gi, '\n')
		.replace(/<li\b[^>]*>/gi, '- ')
		.replace(/<[^>]*>/g, '')
		.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity: string, inner: string) =>
			decodeEntity(entity, inner),
		);
	return text
		.replace(/\r\n?/g, '\n')
		.split('\n')
		.map((line) => line.replace(/[ \t]+$/g, ''))
		.join('\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}
