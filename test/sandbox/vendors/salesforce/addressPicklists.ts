/**
 * State and Country/Territory Picklists as an org that has them turned on: every address has
 * a `…CountryCode` picklist of ISO 3166-1 alpha-2 codes and a `…StateCode` picklist whose
 * values depend on the country. Like a new org, states are configured for a few countries
 * only (here the United States, Canada, Australia and Brazil); a state of any other country
 * is refused. The sandbox keeps its own code lists (not the pack's tables), so a wrong code
 * in the pack is caught here.
 */
import { saveError, type SaveError } from './errors';
import type { SalesforceField } from './schema';

const COUNTRY_CODES =
	`AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN
BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ
EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM
HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK
LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG
NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG
SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM
US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW`.split(/\s+/);

const STATE_CODES: Readonly<Record<string, readonly string[]>> = {
	US: `AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY
NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC AS GU MP PR UM VI`.split(/\s+/),
	CA: 'AB BC MB NB NL NS NT NU ON PE QC SK YT'.split(' '),
	AU: 'ACT NSW NT QLD SA TAS VIC WA'.split(' '),
	BR: 'AC AL AP AM BA CE DF ES GO MA MT MS MG PA PB PR PE PI RJ RN RS RO RR SC SP SE TO'.split(' '),
};

/** The code picklists of one address (`Mailing`, `Billing`, or '' for Lead's address). */
export function addressCodeFields(prefix: string, label: string): SalesforceField[] {
	return [
		{
			name: `${prefix}CountryCode`,
			label: `${label} Country Code`.trim(),
			type: 'picklist',
			picklist: [...COUNTRY_CODES],
			addressCode: { role: 'country' },
		},
		{
			name: `${prefix}StateCode`,
			label: `${label} State Code`.trim(),
			type: 'picklist',
			picklist: [...new Set(Object.values(STATE_CODES).flat())],
			addressCode: { role: 'state', countryField: `${prefix}CountryCode` },
		},
	];
}

const upper = (value: unknown): string | undefined =>
	typeof value === 'string' && value !== '' ? value.toUpperCase() : undefined;

/**
 * The record's code picklist errors after a write (`after` holds every field's value): a
 * country that is not available, a state that is not available in its country, a state
 * without a country. Codes are case-insensitive, as in Salesforce.
 */
export function addressCodeErrors(
	fields: readonly SalesforceField[],
	after: Record<string, unknown>,
	written: ReadonlySet<string>,
): SaveError[] {
	const errors: SaveError[] = [];
	for (const field of fields) {
		const role = field.addressCode;
		if (!role) continue;
		const value = upper(after[field.name]);
		if (value === undefined) continue;
		if (role.role === 'country') {
			if (written.has(field.name) && !COUNTRY_CODES.includes(value))
				errors.push(
					saveError(
						'FIELD_INTEGRITY_EXCEPTION',
						`The ${field.name} field contains ${value}, which isn't an available country/territory.`,
						[field.name],
					),
				);
			continue;
		}
		const country = upper(after[role.countryField]);
		if (country === undefined) {
			errors.push(
				saveError(
					'FIELD_INTEGRITY_EXCEPTION',
					`A country/territory must be specified before specifying a state value for field: ${field.label}`,
					[field.name],
				),
			);
			continue;
		}
		if (!(STATE_CODES[country] ?? []).includes(value))
			errors.push(
				saveError(
					'FIELD_INTEGRITY_EXCEPTION',
					`The ${field.name} field contains ${value}, which isn't an available state.`,
					[field.name],
				),
			);
	}
	return errors;
}
