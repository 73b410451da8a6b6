/**
 * Typed Salesforce REST calls, each sent through the shared transport (retry, limiter,
 * token refresh, usage). Labels name the endpoint only — never the query text, which can
 * hold e-mail addresses and phone numbers.
 */
import type { CallOptions, Transport } from '../../transport/types';
import type { SalesforceConnection, SalesforceRequest } from './connection';
import { SalesforceHttpError, describeErrorBody } from './errors';

export interface SObjectRecord {
	attributes?: { type: string; url?: string };
	Id: string;
	[field: string]: unknown;
}

export interface QueryPage<R> {
	totalSize: number;
	done: boolean;
	nextRecordsUrl?: string;
	records: R[];
}

/**
 * Query subrequests per `POST /composite` call: Composite takes 25 subrequests, but at most
 * 5 of them may be query operations (or sObject Collections requests).
 */
export const QUERIES_PER_COMPOSITE = 5;

interface CompositeResponse {
	compositeResponse?: Array<{ body: unknown; httpStatusCode: number; referenceId: string }>;
}

/** One subrequest's answer, or its failure as the error of the whole call (never as "no records"). */
function subrequestPage<R>(response: CompositeResponse, referenceId: string): QueryPage<R> {
	const answer = response.compositeResponse?.find((entry) => entry.referenceId === referenceId);
	if (!answer)
		throw new SalesforceHttpError(
			`Salesforce composite answer lacks subrequest ${referenceId}`,
			502,
			'MISSING_SUBREQUEST',
			{},
		);
	if (answer.httpStatusCode >= 300) {
		const parsed = describeErrorBody(answer.body);
		throw new SalesforceHttpError(
			`Salesforce query subrequest failed: ${parsed.message ?? `HTTP ${answer.httpStatusCode}`}`,
			answer.httpStatusCode,
			parsed.errorCode,
			{},
			answer.body,
		);
	}
	const page = answer.body as QueryPage<R> | null;
	if (!page || !Array.isArray(page.records))
		throw new SalesforceHttpError(
			`Salesforce query subrequest ${referenceId} answered without records`,
			502,
			'MALFORMED_SUBREQUEST_ANSWER',
			{},
		);
	return page;
}

export interface SearchResponse {
	searchRecords: SObjectRecord[];
}

/** Salesforce accepts 200–2000 for the query batch size header. */
export function queryBatchSize(pageSize: number | undefined): number | undefined {
	if (pageSize === undefined) return undefined;
	return Math.min(2000, Math.max(200, Math.floor(pageSize)));
}

export class SalesforceApi {
	constructor(
		private readonly connection: SalesforceConnection,
		private readonly transport: Transport,
	) {}

	/** The REST API version every path is sent under (`62.0`). */
	get apiVersion(): string {
		return this.connection.apiVersion;
	}

	send<T>(request: SalesforceRequest, options: CallOptions<T>): Promise<T> {
		return this.transport.call((ctx) => this.connection.send<T>(request, ctx.token), options);
	}

	get<T>(path: string, label: string, headers?: Record<string, string>): Promise<T> {
		return this.send<T>({ method: 'GET', path, headers }, { label, idempotent: true });
	}

	/** One page of a SOQL query. */
	queryPage<R>(soql: string, pageSize?: number): Promise<QueryPage<R>> {
		const size = queryBatchSize(pageSize);
		const headers = size ? { 'Sforce-Query-Options': `batchSize=${size}` } : undefined;
		return this.get<QueryPage<R>>(`/query?q=${encodeURIComponent(soql)}`, 'GET /query', headers);
	}

	/** The page after `nextRecordsUrl` (a server-issued `/services/data/vXX.X/query/<locator>` path). */
	nextPage<R>(nextRecordsUrl: string, pageSize?: number): Promise<QueryPage<R>> {
		if (!/^\/services\/data\/v\d+\.\d+\/query\/[A-Za-z0-9-]+$/.test(nextRecordsUrl)) {
			throw new Error('Invalid Salesforce query cursor');
		}
		const size = queryBatchSize(pageSize);
		const headers = size ? { 'Sforce-Query-Options': `batchSize=${size}` } : undefined;
		return this.get<QueryPage<R>>(nextRecordsUrl, 'GET /query/{locator}', headers);
	}

	/** Every record of a SOQL query, following nextRecordsUrl. */
	async query<R>(soql: string): Promise<R[]> {
		let page = await this.queryPage<R>(soql);
		const records = [...page.records];
		while (!page.done && page.nextRecordsUrl) {
			page = await this.nextPage<R>(page.nextRecordsUrl);
			records.push(...page.records);
		}
		return records;
	}

	/**
	 * A blob field's bytes as text (`GET /sobjects/{Type}/{id}/{Field}`, e.g. a ContentNote's
	 * HTML). Salesforce answers with the raw bytes, which jsforce hands over as a string.
	 */
	async getBlobText(path: string, label: string): Promise<string> {
		const body = await this.get<unknown>(path, label);
		if (typeof body === 'string') return body;
		if (Buffer.isBuffer(body)) return body.toString('utf8');
		throw new Error(`Salesforce ${label} did not answer with the field's content`);
	}

	/**
	 * Every record of each SOQL, sent as query subrequests of `POST /composite` (5 per call,
	 * the calls in parallel; one API call each, however many queries it carries). A failed
	 * subrequest fails the call with its own status and message: a 5xx is retried like any
	 * read, a 4xx surfaces. Later pages follow `nextRecordsUrl` with plain GETs.
	 */
	async queryMany<R>(soqls: readonly string[]): Promise<R[][]> {
		const groups: string[][] = [];
		for (let i = 0; i < soqls.length; i += QUERIES_PER_COMPOSITE)
			groups.push(soqls.slice(i, i + QUERIES_PER_COMPOSITE));
		const pages = await Promise.all(
			groups.map((group) =>
				this.transport.call(
					async (ctx) => {
						const response = await this.connection.send<CompositeResponse>(
							{
								method: 'POST',
								path: '/composite',
								body: {
									allOrNone: false,
									compositeRequest: group.map((soql, index) => ({
										method: 'GET',
										url: `/services/data/v${this.apiVersion}/query?q=${encodeURIComponent(soql)}`,
										referenceId: `q${index}`,
									})),
								},
							},
							ctx.token,
						);
						return group.map((_soql, index) => subrequestPage<R>(response, `q${index}`));
					},
					{ label: 'POST /composite', idempotent: true },
				),
			),
		);
		return Promise.all(
			pages.flat().map(async (first) => {
				let page = first;
				const records = [...page.records];
				while (!page.done && page.nextRecordsUrl) {
					page = await this.nextPage<R>(page.nextRecordsUrl);
					records.push(...page.records);
				}
				return records;
			}),
		);
	}

	search(sosl: string): Promise<SearchResponse> {
		return this.get<SearchResponse>(`/search?q=${encodeURIComponent(sosl)}`, 'GET /search');
	}
}
