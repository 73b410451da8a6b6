/**
 * Reads what a test needs from a received e-mail: its headers, the decoded subject and the
 * plain-text body (quoted-printable or base64, the text/plain part of a multipart message).
 */
export interface ReceivedMail {
	/** Envelope sender and recipients (lower-cased), as the client gave them. */
	from: string;
	to: string[];
	subject: string;
	/** The plain-text body, decoded. */
	text: string;
	/** Header names lower-cased; repeated headers keep the last value. */
	headers: Record<string, string>;
	receivedAt: string;
}

interface Part {
	headers: Record<string, string>;
	body: string;
}

export function parseMessage(raw: string): Omit<ReceivedMail, 'from' | 'to'> {
	const message = splitPart(raw);
	return {
		subject: decodeWords(message.headers.subject ?? ''),
		text: plainText(message),
		headers: message.headers,
		receivedAt: new Date().toISOString(),
	};
}

function splitPart(raw: string): Part {
	const end = raw.indexOf('\r\n\r\n');
	const head = end >= 0 ? raw.slice(0, end) : raw;
	const body = end >= 0 ? raw.slice(end + 4) : '';
	const headers: Record<string, string> = {};
	// Folded header lines continue with whitespace.
	for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
		const colon = line.indexOf(':');
		if (colon > 0)
			headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
	}
	return { headers, body };
}

function plainText(part: Part): string {
	const type = part.headers['content-type'] ?? 'text/plain';
	const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
	if (/^multipart\//i.test(type) && boundary !== undefined) {
		const parts = part.body
			.split(`--${boundary}`)
			.slice(1)
			.filter((chunk) => !chunk.startsWith('--'))
			.map((chunk) => splitPart(chunk.replace(/^\r\n/, '')));
		const text = parts.find((p) => /^text\/plain/i.test(p.headers['content-type'] ?? ''));
		return text ? plainText(text) : '';
	}
	const encoding = (part.headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
	const charset = /charset="?([^";]+)"?/i.exec(type)?.[1] ?? 'utf-8';
	return decodeBody(part.body, encoding, charset).replace(/\r\n$/, '');
}

function decodeBody(body: string, encoding: string, charset: string): string {
	if (encoding === 'base64') return Buffer.from(body, 'base64').toString(nodeCharset(charset));
	if (encoding === 'quoted-printable')
		return quotedPrintable(body.replace(/=\r\n/g, ''), nodeCharset(charset));
	return body;
}

function quotedPrintable(text: string, charset: BufferEncoding): string {
	const bytes: number[] = [];
	for (let i = 0; i < text.length; i++) {
		const hex = text.slice(i + 1, i + 3);
		if (text[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
			bytes.push(parseInt(hex, 16));
			i += 2;
		} else bytes.push(...Buffer.from(text[i], 'utf8'));
	}
	return Buffer.from(bytes).toString(charset);
}

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`) in a header. */
function decodeWords(value: string): string {
	return value
		.replace(/(=\?[^?]+\?[QB]\?[^?]*\?=)\s+(?==\?)/gi, '$1')
		.replace(
			/=\?([^?]+)\?([QB])\?([^?]*)\?=/gi,
			(_, charset: string, kind: string, text: string) =>
				kind.toUpperCase() === 'B'
					? Buffer.from(text, 'base64').toString(nodeCharset(charset))
					: quotedPrintable(text.replace(/_/g, ' '), nodeCharset(charset)),
		);
}

function nodeCharset(charset: string): BufferEncoding {
	return /^(us-)?ascii$/i.test(charset)
		? 'ascii'
		: /^(iso-8859-1|latin1)$/i.test(charset)
			? 'latin1'
			: 'utf8';
}
