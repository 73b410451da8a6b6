/** Salesforce's two error shapes: a whole request refused, and one record of a collection refused. */

/** A whole request refused: `[{ message, errorCode, fields? }]` with an HTTP status. */
export class SalesforceRequestError extends Error {
	constructor(
		readonly status: number,
		readonly errorCode: string,
		message: string,
		readonly fields?: string[],
	) {
		super(message);
	}

	body(): Array<{ message: string; errorCode: string; fields?: string[] }> {
		return [{ message: this.message, errorCode: this.errorCode, ...(this.fields ? { fields: this.fields } : {}) }];
	}
}

/** One entry of a per-record `errors` array (sObject Collections, composite). */
export interface SaveError {
	statusCode: string;
	message: string;
	fields: string[];
}

export const saveError = (statusCode: string, message: string, fields: string[] = []): SaveError => ({ statusCode, message, fields });

export const malformedQuery = (message: string) => new SalesforceRequestError(400, 'MALFORMED_QUERY', message);
