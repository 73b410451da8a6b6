/**
 * The sandbox's mail sink speaks enough SMTP for a mail client (n8n's Send Email node uses
 * nodemailer; here a raw session): it keeps each message with its envelope, decodes the
 * subject and the text body, and shows the outbox at `/__admin/mail`.
 */
import { connect, type Socket } from 'node:net';

import { localNetworkOnly } from './helpers';
import { startSandbox, type SandboxHandle } from './server';

/** Sends `lines` one by one, each after the server's answer to the previous one; returns the answers. */
async function smtpSession(port: number, lines: string[]): Promise<string[]> {
	const socket: Socket = connect(port, '127.0.0.1');
	socket.setEncoding('utf8');
	const answers: string[] = [];
	let pending = '';
	const next = (): Promise<string> =>
		new Promise((resolve) => {
			const onData = (chunk: string): void => {
				pending += chunk;
				// A reply ends with a line "NNN text" (no dash after the code).
				const complete = /(^|\r\n)\d{3} [^\r\n]*\r\n$/.exec(pending);
				if (complete) {
					socket.off('data', onData);
					const reply = pending;
					pending = '';
					resolve(reply.trim());
				}
			};
			socket.on('data', onData);
		});
	answers.push(await next());
	for (const line of lines) {
		const answer = next();
		socket.write(`${line}\r\n`);
		answers.push(await answer);
	}
	socket.end();
	return answers;
}

describe('sandbox mail sink', () => {
	localNetworkOnly();
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startSandbox({ seed: false });
	});
	afterAll(async () => {
		await sandbox.close();
	});
	beforeEach(() => sandbox.mail!.clear());

	it('keeps a message with its envelope, decoded subject and quoted-printable body', async () => {
		const body = [
			'From: n8n <crm-sync@example.com>',
			'To: sales@example.com',
			'Subject: =?UTF-8?Q?Lead_qualified:_J=C3=BCrgen?=',
			'Content-Type: text/plain; charset=utf-8',
			'Content-Transfer-Encoding: quoted-printable',
			'',
			'Reason: asked for a demo =E2=80=94 and pricing.',
			'..a line that starts with a dot',
			'.',
		].join('\r\n');
		const answers = await smtpSession(sandbox.smtp!.port, [
			'EHLO client',
			'MAIL FROM:<crm-sync@example.com> SIZE=300',
			'RCPT TO:<Sales@Example.com>',
			'DATA',
			body,
			'QUIT',
		]);
		expect(answers.map((answer) => answer.slice(0, 3))).toEqual([
			'220',
			'250',
			'250',
			'250',
			'354',
			'250',
			'221',
		]);
		const [mail] = sandbox.mail!.messages();
		expect(mail).toMatchObject({
			from: 'crm-sync@example.com',
			to: ['sales@example.com'],
			subject: 'Lead qualified: Jürgen',
			text: 'Reason: asked for a demo — and pricing.\r\n.a line that starts with a dot',
		});
		const listed = (await (await fetch(`${sandbox.url}/__admin/mail`)).json()) as {
			messages: Array<{ subject: string }>;
		};
		expect(listed.messages.map((m) => m.subject)).toEqual(['Lead qualified: Jürgen']);
		expect((await fetch(`${sandbox.url}/__admin/mail`, { method: 'DELETE' })).status).toBe(204);
		expect(sandbox.mail!.messages()).toEqual([]);
	});

	it('picks the text part of a multipart message and decodes base64', async () => {
		const body = [
			'Subject: Status changed',
			'Content-Type: multipart/alternative; boundary="b1"',
			'',
			'--b1',
			'Content-Type: text/plain; charset=utf-8',
			'Content-Transfer-Encoding: base64',
			'',
			Buffer.from('pending → qualified').toString('base64'),
			'--b1',
			'Content-Type: text/html',
			'',
			'<p>pending</p>',
			'--b1--',
			'.',
		].join('\r\n');
		await smtpSession(sandbox.smtp!.port, [
			'HELO client',
			'MAIL FROM:<a@example.com>',
			'RCPT TO:<b@example.com>',
			'RCPT TO:<c@example.com>',
			'DATA',
			body,
			'QUIT',
		]);
		const [mail] = sandbox.mail!.messages();
		expect(mail.to).toEqual(['b@example.com', 'c@example.com']);
		expect(mail.subject).toBe('Status changed');
		expect(mail.text).toBe('pending → qualified');
	});

	it('refuses DATA before a recipient and unknown commands', async () => {
		const answers = await smtpSession(sandbox.smtp!.port, ['HELO c', 'DATA', 'VRFY x', 'QUIT']);
		expect(answers.map((a) => a.slice(0, 3))).toEqual(['220', '250', '503', '502', '221']);
		expect(sandbox.mail!.messages()).toEqual([]);
	});
});
