/**
 * ISO 3166-2 subdivisions of the countries the pack covers: the United States (states, the
 * District of Columbia and the outlying areas ISO lists under US), Canada, Australia,
 * Germany and Brazil. Each entry: the code after the country prefix (what CRMs with state
 * picklists store, e.g. `CA` for US-CA), the name written to text CRMs, then other names.
 */
const TABLES: Readonly<Record<string, string>> = {
	US: `
AL Alabama|AK Alaska|AZ Arizona|AR Arkansas|CA California;Calif.|CO Colorado|CT Connecticut
DE Delaware|FL Florida;Fla.|GA Georgia|HI Hawaii|ID Idaho|IL Illinois|IN Indiana|IA Iowa|KS Kansas
KY Kentucky|LA Louisiana|ME Maine|MD Maryland|MA Massachusetts;Mass.|MI Michigan|MN Minnesota
MS Mississippi|MO Missouri|MT Montana|NE Nebraska|NV Nevada|NH New Hampshire|NJ New Jersey
NM New Mexico|NY New York;New York State|NC North Carolina|ND North Dakota|OH Ohio|OK Oklahoma
OR Oregon|PA Pennsylvania;Penna.|RI Rhode Island|SC South Carolina|SD South Dakota|TN Tennessee
TX Texas;Tex.|UT Utah|VT Vermont|VA Virginia|WA Washington;Washington State|WV West Virginia
WI Wisconsin|WY Wyoming|DC District of Columbia;Washington, D.C.;Washington DC
AS American Samoa|GU Guam|MP Northern Mariana Islands|PR Puerto Rico
UM United States Minor Outlying Islands|VI U.S. Virgin Islands;United States Virgin Islands`,
	CA: `
AB Alberta|BC British Columbia;Colombie-Britannique|MB Manitoba
NB New Brunswick;Nouveau-Brunswick|NL Newfoundland and Labrador;Newfoundland;Terre-Neuve-et-Labrador
NS Nova Scotia;Nouvelle-Écosse|NT Northwest Territories;Territoires du Nord-Ouest|NU Nunavut
ON Ontario|PE Prince Edward Island;PEI;Île-du-Prince-Édouard|QC Quebec;Québec|SK Saskatchewan
YT Yukon;Yukon Territory`,
	AU: `
ACT Australian Capital Territory|NSW New South Wales|NT Northern Territory|QLD Queensland
SA South Australia|TAS Tasmania|VIC Victoria|WA Western Australia`,
	DE: `
BW Baden-Württemberg|BY Bayern;Bavaria|BE Berlin|BB Brandenburg|HB Bremen|HH Hamburg
HE Hessen;Hesse|MV Mecklenburg-Vorpommern;Mecklenburg-Western Pomerania
NI Niedersachsen;Lower Saxony|NW Nordrhein-Westfalen;North Rhine-Westphalia;NRW
RP Rheinland-Pfalz;Rhineland-Palatinate|SL Saarland|SN Sachsen;Saxony
ST Sachsen-Anhalt;Saxony-Anhalt|SH Schleswig-Holstein|TH Thüringen;Thuringia`,
	BR: `
AC Acre|AL Alagoas|AP Amapá|AM Amazonas|BA Bahia|CE Ceará|DF Distrito Federal;Federal District
ES Espírito Santo|GO Goiás|MA Maranhão|MT Mato Grosso|MS Mato Grosso do Sul|MG Minas Gerais|PA Pará
PB Paraíba|PR Paraná|PE Pernambuco|PI Piauí|RJ Rio de Janeiro|RN Rio Grande do Norte
RS Rio Grande do Sul|RO Rondônia|RR Roraima|SC Santa Catarina|SP São Paulo|SE Sergipe|TO Tocantins`,
};

export interface Subdivision {
	/** ISO 3166-1 alpha-2 code of the country. */
	country: string;
	/** The code after the country prefix (`CA` of US-CA, `NSW` of AU-NSW). */
	code: string;
	name: string;
	aliases: readonly string[];
}

function parse(country: string, table: string): Subdivision[] {
	return table
		.trim()
		.split(/[|\n]/)
		.map((entry) => {
			const space = entry.indexOf(' ');
			const [name, ...aliases] = entry.slice(space + 1).split(';');
			return { country, code: entry.slice(0, space), name, aliases };
		});
}

/** Country alpha-2 code → its subdivisions. */
export const SUBDIVISIONS: ReadonlyMap<string, readonly Subdivision[]> = new Map(
	Object.entries(TABLES).map(([country, table]) => [country, parse(country, table)]),
);
