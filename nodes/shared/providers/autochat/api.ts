/**
 * Sends autoch.at CRM requests on fetch through the shared transport (rate limit, 429
 * waits, backoff, usage capture, redaction). The API key goes in the Bearer header here
 * and nowhere else; a status ≥ 400 becomes an AutochatHttpError inside the transport call.
 * The transport's per-attempt deadline is the only timeout: fetch is aborted through its
 * signal, so a slow answer is reported once, as the timeout it is.
 */
import type { Transport, VerifyOutcome } from '../../transport/types';
import type { EndpointRequest } from './endpoints';
import { AutochatHttpError } from './errors';

export interface AutochatApiOptions {
	/** The credential's base URL, e.g. `https://x.supabase.co/functions/v1/crm-api/v1`. */
	baseUrl: string;
	apiKey: string;
	transport: Transport;
	fetch?: typeof fetch;
}

export interface SendOptions<T> {
	idempotent: boolean;
	/** For creates: look for the effect of an attempt whose answer was lost (see CallOptions.verify). */
	verify?: () => Promise<VerifyOutcome<T>>;
}

function parseJson(text: string): unknown {
	if (text === '') return undefined;
	try {
		return JSON.parse(text);
	} catch {
		// Gateways answer errors with HTML; keep the text for the error body.
		return text;
	}
}

export class AutochatApi {
	private readonly baseUrl: string;
	private readonly apiKey: string;
	private readonly transport: Transport;
	private readonly fetchImpl: typeof fetch;

	constructor(options: AutochatApiOptions) {
		const base = options.baseUrl.trim().replace(/\/+$/, '');
		const parsed = new URL(base);
		if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
			throw new Error('The autoch.at CRM base URL must be an http(s) URL');
		this.baseUrl = base;
		this.apiKey = options.apiKey;
		this.transport = options.transport;
		this.fetchImpl = options.fetch ?? fetch;
	}

	/** One request; `read` turns the 2xx body into the result (and throws on an unexpected shape). */
	send<T>(
		request: EndpointRequest,
		read: (body: unknown) => T,
		options: SendOptions<T>,
	): Promise<T> {
		return this.transport.call(
			async ({ signal }) => read(succeeded(await this.exchange(request, signal))),
			{
				label: request.label,
				idempotent: options.idempotent,
				verify: options.verify,
			},
		);
	}

	/** Like send for reads, but a 404 resolves to undefined (the record does not exist). */
	sendAllowingNotFound<T>(
		request: EndpointRequest,
		read: (body: unknown) => T,
	): Promise<T | undefined> {
		return this.transport.call(
			async ({ signal }) => {
				const answer = await this.exchange(request, signal);
				return answer.status === 404 ? undefined : read(succeeded(answer));
			},
			{ label: request.label, idempotent: true },
		);
	}

	/** Sends one request and returns the answer whatever its status; throws only on network failure. */
	private async exchange(request: EndpointRequest, signal: AbortSignal): Promise<Answer> {
		const headers: Record<string, string> = {
			Accept: 'application/json',
			Authorization: `Bearer ${this.apiKey}`,
		};
		let body: string | undefined;
		if (request.body !== undefined) {
			headers['Content-Type'] = 'application/json';
			body = JSON.stringify(request.body);
		}
		const response = await this.fetchImpl(`${this.baseUrl}${request.path}`, {
			method: request.method,
			headers,
			body,
			signal,
			// Never carry the key to another host.
			redirect: 'error',
		});
		const responseHeaders: Record<string, string> = {};
		response.headers.forEach((value, name) => {
			responseHeaders[name.toLowerCase()] = value;
		});
		this.transport.recordHeaders(responseHeaders);
		return {
			status: response.status,
			headers: responseHeaders,
			body: parseJson(await response.text()),
		};
	}
}

interface Answer {
	status: number;
	/** Header names in lower case. */
	headers: Record<string, string>;
	body: unknown;
}

/** The body of a 2xx/3xx answer; an AutochatHttpError (for the transport to classify) otherwise. */
function succeeded(answer: Answer): unknown {
	if (answer.status >= 400) throw new AutochatHttpError(answer.status, answer.headers, answer.body);
	return answer.body;
}
