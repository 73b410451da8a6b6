/**
 * HubSpot stores engagement bodies (notes, meeting/call/task bodies) as HTML: drafts carry
 * plain text, escaped and turned into paragraphs by the shared converter.
 */
export { escapeHtml, plainTextToHtml } from '../../logic/html';
