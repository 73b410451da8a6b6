/** Salesforce's two error shapes: a whole request refused, and one record of a collection refused. */

/** A whole request refused: `[{ message, errorCode, fields? }]` with an HTTP status. */
export class SalesforceRequestError extends Error {
	constructor(
		readonly status: number,
		readonly errorCode: string,
		message: string,
		readonly fields?: string[],
		/** Further errors of the same answer (a single-record save lists every problem). */
		readonly more: SaveError[] = [],
	) {
		super(message);
	}

	body(): Array<{ message: string; errorCode: string; fields?: string[] }> {
		const first = {
			message: this.message,
			errorCode: this.errorCode,
			...(this.fields ? { fields: this.fields } : {}),
		};
		return [
			first,
			...this.more.map((error) => ({
				message: error.message,
				errorCode: error.statusCode,
				fields: error.fields,
			})),
		];
	}
}

/** One entry of a per-record `errors` array (sObject Collections, composite). */
export interface SaveError {
	statusCode: string;
	message: string;
	fields: string[];
}

export const saveError = (
	statusCode: string,
	message: string,
	fields: string[] = [],
): SaveError => ({ statusCode, message, fields });

export const malformedQuery = (message: string) =>
	new SalesforceRequestError(400, 'MALFORMED_QUERY', message);
