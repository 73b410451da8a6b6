/**
 * `POST …/composite`: up to 25 subrequests in one call, of which at most 5 may be query
 * operations (Query, QueryAll, the next page of a query) or sObject Collections requests.
 * The whole request counts as one API call. The sandbox serves the subrequests the pack
 * sends — `GET …/query?q=` and `GET …/query/<locator>` — and answers any other resource
 * (a SOSL `/search`, which Composite does not support) with a failed subrequest.
 * `@{reference}` notation is not resolved: a subrequest using it fails.
 */
import { SalesforceRequestError } from './errors';

export const MAX_SUBREQUESTS = 25;
export const MAX_QUERY_SUBREQUESTS = 5;

export interface SubrequestAnswer {
	status: number;
	body: unknown;
}

/** Runs one subrequest's GET of a version-relative path (`/query?q=…`); throws SalesforceRequestError. */
export type SubrequestRunner = (version: string, path: string, query: URLSearchParams) => unknown;

interface Subrequest {
	method: string;
	url: string;
	referenceId: string;
}

const invalidInput = (message: string) => new SalesforceRequestError(400, 'INVALID_INPUT', message);

const REFERENCE_ID = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;
const SUBREQUEST_URL = /^\/services\/data\/v(\d+\.\d)(\/[^?]*)(?:\?(.*))?$/;

function isQueryOperation(url: string): boolean {
	return /^\/services\/data\/v\d+\.\d\/(query|queryAll)(\/|\?|$)/.test(url);
}

function isCollection(url: string): boolean {
	return /^\/services\/data\/v\d+\.\d\/composite\/sobjects/.test(url);
}

function parseSubrequests(body: unknown): { allOrNone: boolean; requests: Subrequest[] } {
	if (typeof body !== 'object' || body === null || Array.isArray(body))
		throw new SalesforceRequestError(
			400,
			'JSON_PARSER_ERROR',
			'The request body must be a JSON object',
		);
	const { compositeRequest, allOrNone } = body as Record<string, unknown>;
	if (!Array.isArray(compositeRequest) || compositeRequest.length === 0)
		throw invalidInput('compositeRequest must hold at least one subrequest');
	if (compositeRequest.length > MAX_SUBREQUESTS)
		throw invalidInput(`A composite request holds at most ${MAX_SUBREQUESTS} subrequests`);
	const seen = new Set<string>();
	const requests = compositeRequest.map((raw): Subrequest => {
		const entry = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
		const { method, url, referenceId } = entry;
		if (typeof method !== 'string' || typeof url !== 'string' || typeof referenceId !== 'string')
			throw invalidInput('Every subrequest needs method, url and referenceId');
		if (!REFERENCE_ID.test(referenceId) || seen.has(referenceId))
			throw invalidInput(`Invalid or duplicate referenceId: ${referenceId}`);
		seen.add(referenceId);
		return { method: method.toUpperCase(), url, referenceId };
	});
	const heavy = requests.filter((r) => isQueryOperation(r.url) || isCollection(r.url)).length;
	if (heavy > MAX_QUERY_SUBREQUESTS)
		throw invalidInput(
			`A composite request holds at most ${MAX_QUERY_SUBREQUESTS} query or sObject Collections subrequests`,
		);
	return { allOrNone: allOrNone === true, requests };
}

function runOne(request: Subrequest, run: SubrequestRunner): SubrequestAnswer {
	try {
		const match = SUBREQUEST_URL.exec(request.url);
		if (
			request.method !== 'GET' ||
			!match ||
			request.url.includes('@{') ||
			!isQueryOperation(request.url)
		)
			throw new SalesforceRequestError(
				400,
				'INVALID_INPUT',
				`Unsupported subrequest: ${request.method} ${request.url.split('?')[0]}`,
			);
		return { status: 200, body: run(match[1], match[2], new URLSearchParams(match[3] ?? '')) };
	} catch (error) {
		if (!(error instanceof SalesforceRequestError)) throw error;
		return { status: error.status, body: error.body() };
	}
}

export function runComposite(body: unknown, run: SubrequestRunner) {
	const { allOrNone, requests } = parseSubrequests(body);
	const answers: SubrequestAnswer[] = [];
	let failed = false;
	for (const request of requests) {
		if (failed && allOrNone) {
			answers.push({
				status: 400,
				body: [
					{
						errorCode: 'PROCESSING_HALTED',
						message:
							'The transaction was rolled back since another operation in the same transaction failed.',
					},
				],
			});
			continue;
		}
		const answer = runOne(request, run);
		if (answer.status >= 400) failed = true;
		answers.push(answer);
	}
	if (failed && allOrNone) {
		// Every earlier subrequest is rolled back too; reads have nothing to undo.
		for (const answer of answers)
			if (answer.status < 400)
				Object.assign(answer, {
					status: 400,
					body: [
						{
							errorCode: 'PROCESSING_HALTED',
							message:
								'The transaction was rolled back since another operation in the same transaction failed.',
						},
					],
				});
	}
	return {
		compositeResponse: requests.map((request, index) => ({
			body: answers[index].body,
			httpHeaders: {},
			httpStatusCode: answers[index].status,
			referenceId: request.referenceId,
		})),
	};
}
