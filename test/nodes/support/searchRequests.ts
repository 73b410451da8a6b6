/**
 * Which sandbox requests look a person up by phone or email (rather than read a record by its
 * id), per CRM: HubSpot's search endpoint, Salesforce SOSL or a SOQL query filtering on a
 * phone/email field, a Dataverse query filtering on a phone/email column.
 */
import type { LoggedRequest } from '../../sandbox/core/requestLog';
import type { SandboxCrm } from './packHarness';

export type SearchedCrm = Exclude<SandboxCrm, 'autochat'>;

/** The request's query and body as text, URL-decoded (sub-requests carry encoded URLs). */
function requestText(request: LoggedRequest): string {
	const body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body ?? '');
	const text = `${JSON.stringify(request.query)} ${body}`;
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

const SEARCHES: Record<SearchedCrm, (request: LoggedRequest) => boolean> = {
	hubspot: (request) => request.path.endsWith('/search'),
	salesforce: (request) =>
		request.path.endsWith('/search') ||
		/WHERE[ (]*(Phone|MobilePhone|Email)\b/.test(requestText(request)),
	dynamics: (request) =>
		/\$filter=[^\r\n]*(telephone1|telephone2|mobilephone|emailaddress1)/.test(requestText(request)),
};

/** Whether the request searched `crm` for a person by phone/email. */
export const isPersonSearch = (crm: SearchedCrm, request: LoggedRequest): boolean =>
	SEARCHES[crm](request);
