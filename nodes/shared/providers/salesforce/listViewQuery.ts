/**
 * A list view's members, read with a key cursor. Salesforce describes a list view as the SOQL
 * it runs (`SELECT … FROM Lead USING SCOPE mine WHERE … ORDER BY Name …`); its filter is kept
 * and the rest rewritten to `SELECT Id FROM <object> [USING SCOPE …] WHERE (<filter>) AND
 * Id > '<last id>' ORDER BY Id LIMIT n`, so pages stay stable between polls (a list view's
 * own results endpoint pages by offset, which skips or repeats rows when membership changes).
 *
 * The SOQL comes from Salesforce, not from the user; the cursor goes through the escaper.
 * Pure: no I/O.
 */
import { soqlLiteral } from '../../logic/escape';

/** A top-level clause keyword of the described query, found outside string literals. */
const CLAUSES = ['USING SCOPE', 'WHERE', 'WITH', 'GROUP BY', 'ORDER BY', 'LIMIT', 'OFFSET'];

interface Clause {
	keyword: string;
	start: number;
	bodyStart: number;
}

/** Where each top-level clause keyword starts: not in quoted text (`'…'`, backslash escapes) nor in a sub-query. */
function clausesOf(soql: string): Clause[] {
	const found: Clause[] = [];
	let quoted = false;
	let depth = 0;
	for (let i = 0; i < soql.length; i++) {
		const char = soql[i];
		if (quoted) {
			if (char === '\\') i++;
			else if (char === "'") quoted = false;
			continue;
		}
		if (char === "'") {
			quoted = true;
			continue;
		}
		if (char === '(' || char === ')') {
			depth += char === '(' ? 1 : -1;
			continue;
		}
		if (depth > 0) continue;
		if (i > 0 && !/\s/.test(soql[i - 1])) continue;
		for (const keyword of CLAUSES) {
			const words = keyword.split(' ');
			const pattern = new RegExp(`^${words.join('\\s+')}(?=\\s|$)`, 'i');
			const match = pattern.exec(soql.slice(i));
			if (match) {
				found.push({ keyword, start: i, bodyStart: i + match[0].length });
				break;
			}
		}
	}
	return found;
}

export interface ListViewPageQuery {
	describedQuery: string;
	/** The object the trigger watches; a list view of another object is refused. */
	objectType: string;
	/** Id of the last member of the previous page. */
	after?: string;
	limit: number;
}

/** The page query for a list view, or an error text saying why its query cannot be paged. */
export function listViewPageQuery(
	request: ListViewPageQuery,
): { soql: string } | { error: string } {
	const text = request.describedQuery.trim();
	const from = /^SELECT\s[\s\S]*?\sFROM\s+([A-Za-z][A-Za-z0-9_]*)(?=\s|$)/i.exec(text);
	if (!from) return { error: 'its query has no FROM clause the sync can read' };
	if (from[1].toLowerCase() !== request.objectType.toLowerCase())
		return { error: `it lists ${from[1]} records, not ${request.objectType}` };
	const tail = text.slice(from[0].length);
	const offset = from[0].length;
	const clauses = clausesOf(tail).map((c) => ({
		...c,
		start: c.start + offset,
		bodyStart: c.bodyStart + offset,
	}));
	const body = (keyword: string): string | undefined => {
		const index = clauses.findIndex((c) => c.keyword === keyword);
		if (index < 0) return undefined;
		const end = clauses[index + 1]?.start ?? text.length;
		return text.slice(clauses[index].bodyStart, end).trim();
	};
	if (body('GROUP BY') !== undefined) return { error: 'it groups its rows' };
	const scope = body('USING SCOPE');
	const filter = body('WHERE');
	const conditions = [
		...(filter ? [`(${filter})`] : []),
		...(request.after ? [`Id > ${soqlLiteral(request.after)}`] : []),
	];
	const limit = Math.max(1, Math.floor(request.limit));
	return {
		soql: [
			`SELECT Id FROM ${from[1]}`,
			...(scope ? [`USING SCOPE ${scope}`] : []),
			...(conditions.length ? [`WHERE ${conditions.join(' AND ')}`] : []),
			`ORDER BY Id LIMIT ${limit}`,
		].join(' '),
	};
}
