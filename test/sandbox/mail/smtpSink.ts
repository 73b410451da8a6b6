/**
 * A local SMTP server that accepts every message and keeps it in memory: the outbox the
 * templates' notification e-mails go to in the demo and in tests (n8n's Send Email node with
 * an SMTP credential pointing here). Plain SMTP without TLS or authentication; nothing is
 * relayed anywhere.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

import { parseMessage, type ReceivedMail } from './message';

export type { ReceivedMail } from './message';

export interface SmtpSink {
	host: string;
	port: number;
	/** Messages received so far, oldest first. */
	messages(): ReceivedMail[];
	clear(): void;
	close(): Promise<void>;
}

/** Largest message kept (bytes); a larger one is refused with 552 like a real server would. */
const MAX_MESSAGE_BYTES = 1_000_000;

interface Envelope {
	from: string;
	to: string[];
}

export async function startSmtpSink(options: { port?: number } = {}): Promise<SmtpSink> {
	const received: ReceivedMail[] = [];
	const sockets = new Set<Socket>();
	const server: Server = createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		serve(socket, (mail) => received.push(mail));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
	});
	const port = (server.address() as AddressInfo).port;
	return {
		host: '127.0.0.1',
		port,
		messages: () => received.map((mail) => ({ ...mail, to: [...mail.to] })),
		clear: () => {
			received.length = 0;
		},
		close: () =>
			new Promise<void>((resolve, reject) => {
				for (const socket of sockets) socket.destroy();
				server.close((error) => (error ? reject(error) : resolve()));
			}),
	};
}

/** One SMTP session: commands line by line, the message between DATA and a lone ".". */
function serve(socket: Socket, deliver: (mail: ReceivedMail) => void): void {
	let envelope: Envelope = { from: '', to: [] };
	let buffer = '';
	let data: string[] | undefined;
	let dataBytes = 0;
	const reply = (line: string): void => {
		socket.write(`${line}\r\n`);
	};
	socket.setEncoding('utf8');
	reply('220 crm-sandbox ESMTP mail sink');

	const command = (line: string): void => {
		const verb = line.slice(0, 4).toUpperCase();
		if (verb === 'EHLO') {
			reply('250-crm-sandbox');
			reply(`250 SIZE ${MAX_MESSAGE_BYTES}`);
		} else if (verb === 'HELO') reply('250 crm-sandbox');
		else if (verb === 'MAIL') {
			envelope = { from: addressIn(line), to: [] };
			reply('250 OK');
		} else if (verb === 'RCPT') {
			envelope.to.push(addressIn(line));
			reply('250 OK');
		} else if (verb === 'DATA') {
			if (envelope.to.length === 0) return reply('503 RCPT first');
			data = [];
			dataBytes = 0;
			reply('354 End data with <CR><LF>.<CR><LF>');
		} else if (verb === 'RSET') {
			envelope = { from: '', to: [] };
			reply('250 OK');
		} else if (verb === 'NOOP') reply('250 OK');
		else if (verb === 'QUIT') {
			reply('221 Bye');
			socket.end();
		} else reply('502 Command not implemented');
	};

	const dataLine = (line: string): void => {
		if (line !== '.') {
			// Dot-stuffing: a leading "." was doubled by the sender.
			const text = line.startsWith('.') ? line.slice(1) : line;
			dataBytes += text.length + 2;
			if (dataBytes <= MAX_MESSAGE_BYTES) data!.push(text);
			return;
		}
		const lines = data!;
		data = undefined;
		if (dataBytes > MAX_MESSAGE_BYTES) return reply('552 Message too large');
		deliver({ ...parseMessage(lines.join('\r\n')), from: envelope.from, to: envelope.to });
		envelope = { from: '', to: [] };
		reply('250 OK: queued');
	};

	socket.on('data', (chunk: string) => {
		buffer += chunk;
		let end = buffer.indexOf('\r\n');
		while (end >= 0) {
			const line = buffer.slice(0, end);
			buffer = buffer.slice(end + 2);
			if (data !== undefined) dataLine(line);
			else command(line);
			end = buffer.indexOf('\r\n');
		}
	});
	socket.on('error', () => socket.destroy());
}

/** The address of `MAIL FROM:<a@b> SIZE=…` or `RCPT TO:<a@b>`. */
function addressIn(line: string): string {
	const match = /<([^>]*)>/.exec(line);
	return (match ? match[1] : line.slice(line.indexOf(':') + 1)).trim().toLowerCase();
}
