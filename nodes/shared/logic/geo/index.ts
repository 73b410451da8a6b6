/** Country and state/province names ↔ ISO 3166 codes (pure; see ./resolve.ts for the rules). */
export {
	countryName,
	coveredCountries,
	resolveCountry,
	resolveSubdivision,
	subdivisionName,
	type CountryResult,
	type SubdivisionResult,
} from './resolve';
export { normalisePlace } from './normalise';
export { COUNTRY_NAMES } from './countries';
export { SUBDIVISIONS, type Subdivision } from './subdivisions';
