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
