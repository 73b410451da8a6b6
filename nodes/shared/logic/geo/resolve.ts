/**
 * Free text → ISO 3166 code, and code → the name written to text CRMs.
 *
 * Nothing is guessed: a value that is not a known name, alias or code, or that names more
 * than one place, is a failure with a reason. A state or province is only resolved within
 * its country (given by the caller), because the same name or code means different places
 * in different countries ("Georgia", "WA", "NT"); only a full ISO 3166-2 code such as
 * `US-CA` carries its own country.
 */
import { AMBIGUOUS_COUNTRY_NAMES, COUNTRY_ALIASES } from './countryAliases';
import { COUNTRY_NAMES } from './countries';
import { compactInitials, normalisePlace } from './normalise';
import { SUBDIVISIONS, type Subdivision } from './subdivisions';

export type CountryResult = { ok: true; country: string } | { ok: false; reason: string };
export type SubdivisionResult =
	{ ok: true; country: string; code: string; iso: string } | { ok: false; reason: string };

function indexOf<T>(entries: Array<[string, T]>): Map<string, T> {
	const index = new Map<string, T>();
	for (const [text, value] of entries) {
		const key = compactInitials(normalisePlace(text));
		if (!index.has(key)) index.set(key, value);
	}
	return index;
}

const COUNTRY_INDEX = indexOf<string>([
	...[...COUNTRY_NAMES].map(([code, name]): [string, string] => [name, code]),
	...Object.entries(COUNTRY_ALIASES).flatMap(([code, aliases]) =>
		aliases.map((alias): [string, string] => [alias, code]),
	),
]);
const AMBIGUOUS_INDEX = indexOf(Object.entries(AMBIGUOUS_COUNTRY_NAMES));

const SUBDIVISION_INDEX = new Map(
	[...SUBDIVISIONS].map(([country, list]) => [
		country,
		indexOf<Subdivision>(
			list.flatMap((sub) =>
				[sub.code, sub.name, ...sub.aliases].map((text): [string, Subdivision] => [text, sub]),
			),
		),
	]),
);

const quoted = (text: string): string => JSON.stringify(text.trim());

/** The name the pack writes for a country code (any case); undefined when not an ISO code. */
export function countryName(code: string): string | undefined {
	return COUNTRY_NAMES.get(code.trim().toUpperCase());
}

/** Countries whose states/provinces the pack knows. */
export function coveredCountries(): string[] {
	return [...SUBDIVISIONS.keys()];
}

/** A country's name, alias, alpha-2 code (or an alpha-3 code of a main market) → alpha-2 code. */
export function resolveCountry(text: string): CountryResult {
	const key = compactInitials(normalisePlace(text));
	if (key === '') return { ok: false, reason: 'the value is empty' };
	const upper = key.toUpperCase();
	if (key.length === 2 && COUNTRY_NAMES.has(upper)) return { ok: true, country: upper };
	const found = COUNTRY_INDEX.get(key);
	if (found) return { ok: true, country: found };
	const candidates = AMBIGUOUS_INDEX.get(key);
	if (candidates)
		return {
			ok: false,
			reason: `${quoted(text)} could be ${candidates.map((c) => `${c} (${countryName(c)})`).join(' or ')}: write the full name or the two-letter code`,
		};
	return { ok: false, reason: `${quoted(text)} is not a known country` };
}

function found(sub: Subdivision): SubdivisionResult {
	return { ok: true, country: sub.country, code: sub.code, iso: `${sub.country}-${sub.code}` };
}

/** A full ISO 3166-2 code (`US-CA`, `au nsw`) of a covered country, else undefined. */
function fullCode(key: string): Subdivision | undefined {
	const match = /^([a-z]{2}) ([a-z0-9]{1,3})$/.exec(key);
	if (!match) return undefined;
	const sub = SUBDIVISION_INDEX.get(match[1].toUpperCase())?.get(match[2]);
	return sub && sub.code.toLowerCase() === match[2] ? sub : undefined;
}

/** A state's or province's name, alias or code, within `country` (alpha-2) → its ISO 3166-2 code. */
export function resolveSubdivision(text: string, country?: string): SubdivisionResult {
	const normalised = normalisePlace(text);
	if (normalised === '') return { ok: false, reason: 'the value is empty' };
	const full = fullCode(normalised);
	if (full) {
		if (country && country.toUpperCase() !== full.country)
			return {
				ok: false,
				reason: `${quoted(text)} is in ${countryName(full.country)}, not in ${countryName(country) ?? country}`,
			};
		return found(full);
	}
	if (!country)
		return {
			ok: false,
			reason: `${quoted(text)} needs its country: a state or province is only resolved within a country (map the country too, or write the full ISO 3166-2 code such as US-CA)`,
		};
	const upper = country.toUpperCase();
	const index = SUBDIVISION_INDEX.get(upper);
	if (!index)
		return {
			ok: false,
			reason: `states and provinces of ${countryName(upper) ?? upper} are not known to this node, so ${quoted(text)} cannot be resolved`,
		};
	const sub = index.get(compactInitials(normalised));
	if (sub) return found(sub);
	return {
		ok: false,
		reason: `${quoted(text)} is not a state or province of ${countryName(upper) ?? upper}`,
	};
}

/** The name the pack writes for a subdivision code (`CA` in `US`); undefined when unknown. */
export function subdivisionName(country: string, code: string): string | undefined {
	return SUBDIVISIONS.get(country.toUpperCase())?.find(
		(sub) => sub.code === code.trim().toUpperCase(),
	)?.name;
}
