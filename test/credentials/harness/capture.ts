/** nock interceptors that record what was actually sent, for assertions after the call. */
import nock from 'nock';

export interface CapturedRequest {
	method: string;
	/** Path plus query string, as received. */
	path: string;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

export interface Capture {
	/** Requests received so far, in order. */
	requests: CapturedRequest[];
}

/** Intercepts one `method origin+path` call and answers with `status`/`body`. Query strings must match exactly. */
export function interceptOnce(
	origin: string,
	method: 'GET' | 'POST',
	path: string,
	status: number,
	body: unknown,
): Capture {
	const capture: Capture = { requests: [] };
	nock(origin)
		.intercept(path, method)
		.reply(function (this: nock.ReplyFnContext, uri: string, requestBody: nock.Body) {
			capture.requests.push({
				method,
				path: uri,
				headers: this.req.headers,
				body: typeof requestBody === 'string' ? requestBody : JSON.stringify(requestBody),
			});
			return [status, body as nock.Body];
		});
	return capture;
}

/** Network isolation for every credential test file: only 127.0.0.1 may be reached. */
export { isolateNetwork } from '../../support/isolateNetwork';
