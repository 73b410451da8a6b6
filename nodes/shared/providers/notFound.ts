/** A CRM's 404 for a thing the user chose (a list, a campaign) turned into an error naming it. */
import { isCrmRequestError } from '../transport/errors';

/** For `.catch`: rejects with `message` when the CRM answered 404, else with the failure as it was. */
export function whenNotFound(message: string): (error: unknown) => never {
	return (error) => {
		throw isCrmRequestError(error) && error.status === 404 ? new Error(message) : error;
	};
}
