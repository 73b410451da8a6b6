/** Dataverse Web API errors: `{ error: { code, message } }` with the platform's hex codes. */
import type { DataverseEntity } from './schema';

export class DataverseError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
	) {
		super(message);
	}

	body(): { error: { code: string; message: string } } {
		return { error: { code: this.code, message: this.message } };
	}
}

export const CODES = {
	doesNotExist: '0x80040217',
	unknownProperty: '0x80060888',
	payload: '0x80048d19',
	validation: '0x80044331',
	duplicateKey: '0x80040237',
} as const;

export const notFound = (entity: DataverseEntity, id: string) =>
	new DataverseError(
		404,
		CODES.doesNotExist,
		`${entity.logicalName} With Id = ${id} Does Not Exist`,
	);

export const unknownProperty = (entity: DataverseEntity, name: string) =>
	new DataverseError(
		400,
		CODES.unknownProperty,
		`Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.${entity.logicalName}'.`,
	);

/** A create whose primary key is taken (a POST with a client-chosen id, or an upsert's create losing a race). */
export const duplicateKey = () =>
	new DataverseError(412, CODES.duplicateKey, 'A record with matching key values already exists.');

/** `If-None-Match: *` on a row that exists, in the documented shape (an empty code). */
export const preconditionFailed = () =>
	new DataverseError(412, '', 'A record with matching key values already exists.');

export const badRequest = (message: string) => new DataverseError(400, CODES.payload, message);

/** The resource segment is not an entity set the service knows. */
export const unknownSegment = (segment: string) =>
	new DataverseError(404, '0x8006088a', `Resource not found for the segment '${segment}'.`);
