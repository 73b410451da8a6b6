/** Shared helpers of the sandbox tests (not a test file). */
import nock from 'nock';

import type { VendorName } from './server';

/** Only 127.0.0.1 may be reached; everything else fails loudly. */
export function localNetworkOnly(): void {
	beforeAll(() => {
		nock.disableNetConnect();
		nock.enableNetConnect('127.0.0.1');
	});
	afterAll(() => {
		nock.enableNetConnect();
	});
}

export interface JsonAnswer<T = unknown> {
	status: number;
	headers: Headers;
	body: T;
}

export async function call<T = unknown>(
	url: string,
	init: { method?: string; token?: string; body?: unknown; form?: Record<string, string> } = {},
): Promise<JsonAnswer<T>> {
	const headers: Record<string, string> = {};
	if (init.token) headers.Authorization = `Bearer ${init.token}`;
	let body: string | undefined;
	if (init.form) {
		headers['Content-Type'] = 'application/x-www-form-urlencoded';
		body = new URLSearchParams(init.form).toString();
	} else if (init.body !== undefined) {
		headers['Content-Type'] = 'application/json';
		body = JSON.stringify(init.body);
	}
	const response = await fetch(url, {
		method: init.method ?? (body ? 'POST' : 'GET'),
		headers,
		body,
	});
	const text = await response.text();
	return {
		status: response.status,
		headers: response.headers,
		body: (text ? JSON.parse(text) : undefined) as T,
	};
}

const TOKEN_PATHS: Partial<Record<VendorName, string>> = {
	hubspot: '/hubspot/oauth/v1/token',
	salesforce: '/salesforce/services/oauth2/token',
	dynamics: '/microsoft/contoso-tenant/oauth2/v2.0/token',
};

/** A client-credentials access token from the vendor's sandbox token endpoint. */
export async function clientCredentialsToken(baseUrl: string, vendor: VendorName): Promise<string> {
	const answer = await call<{ access_token: string }>(`${baseUrl}${TOKEN_PATHS[vendor]}`, {
		form: {
			grant_type: 'client_credentials',
			client_id: 'sandbox-client',
			client_secret: 'sandbox-secret',
		},
	});
	if (answer.status !== 200) throw new Error(`token endpoint answered ${answer.status}`);
	return answer.body.access_token;
}
