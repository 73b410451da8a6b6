/**
 * `/__admin/mail` over HTTP: GET lists the messages the mail sink received (the demo's outbox),
 * DELETE empties it.
 */
import type { SandboxResponse } from '../core/types';
import type { SmtpSink } from './smtpSink';

export function isMailPath(path: string): boolean {
	return path === '/__admin/mail' || path === '/__admin/mail/';
}

export function handleMailAdmin(mail: SmtpSink, method: string): Promise<SandboxResponse> {
	if (method === 'GET')
		return Promise.resolve({ status: 200, body: { messages: mail.messages() } });
	if (method === 'DELETE') {
		mail.clear();
		return Promise.resolve({ status: 204 });
	}
	return Promise.resolve({ status: 405, body: { error: 'use GET or DELETE /__admin/mail' } });
}
