/** n8n core nodes as the templates use them (versions that n8n 2.41 runs as written). */
import type { NodeSpec, Position } from './workflow';

type Extra = Partial<
	Pick<
		NodeSpec,
		'onError' | 'executeOnce' | 'alwaysOutputData' | 'credentials' | 'webhookId' | 'disabled'
	>
>;

export const WEBHOOK_SECRET = { httpHeaderAuth: { name: 'Webhook secret' } };

export function webhook(
	name: string,
	position: Position,
	path: string,
	webhookId: string,
	response: 'responseNode' | 'lastNode' = 'responseNode',
): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position,
		parameters: {
			httpMethod: 'POST',
			path,
			authentication: 'headerAuth',
			responseMode: response,
			...(response === 'lastNode' ? { responseData: 'noData' } : {}),
			options: {},
		},
		credentials: WEBHOOK_SECRET,
		webhookId,
	};
}

export function schedule(name: string, position: Position, minutes: number): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.scheduleTrigger',
		typeVersion: 1.2,
		position,
		parameters: { rule: { interval: [{ field: 'minutes', minutesInterval: minutes }] } },
	};
}

export type AssignmentType = 'string' | 'number' | 'boolean' | 'array' | 'object';

/** A Set node with named fields (what users edit in the UI). */
export function setFields(
	name: string,
	position: Position,
	fields: Array<[name: string, value: unknown, type: AssignmentType]>,
	options: { keepOtherFields?: boolean } & Extra = {},
): NodeSpec {
	const { keepOtherFields, ...extra } = options;
	return {
		name,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position,
		parameters: {
			assignments: {
				assignments: fields.map(([field, value, type], index) => ({
					id: `a${index}`,
					name: field,
					value,
					type,
				})),
			},
			...(keepOtherFields ? { includeOtherFields: true } : {}),
			options: {},
		},
		...extra,
	};
}

/** A Set node whose output item is one expression (a JSON object). */
export function setJson(
	name: string,
	position: Position,
	expression: string,
	extra: Extra = {},
): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position,
		parameters: { mode: 'raw', jsonOutput: `={{ ${expression} }}`, options: {} },
		...extra,
	};
}

/** An If node on one boolean expression. */
export function ifTrue(
	name: string,
	position: Position,
	expression: string,
	extra: Extra = {},
): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.if',
		typeVersion: 2.2,
		position,
		parameters: {
			conditions: {
				options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 2 },
				conditions: [
					{
						id: 'c1',
						leftValue: `={{ ${expression} }}`,
						rightValue: '',
						operator: { type: 'boolean', operation: 'true', singleValue: true },
					},
				],
				combinator: 'and',
			},
			options: {},
		},
		...extra,
	};
}

/** A Filter node keeping the items for which the expression is true. */
export function filter(name: string, position: Position, expression: string): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.filter',
		typeVersion: 2.2,
		position,
		parameters: {
			conditions: {
				options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 2 },
				conditions: [
					{
						id: 'c1',
						leftValue: `={{ ${expression} }}`,
						rightValue: '',
						operator: { type: 'boolean', operation: 'true', singleValue: true },
					},
				],
				combinator: 'and',
			},
			options: {},
		},
	};
}

/** Merge: every input's items one after the other (runs once with what arrived when the rest of the run is done). */
export function appendMerge(name: string, position: Position, inputs: number): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.merge',
		typeVersion: 3.2,
		position,
		parameters: { numberInputs: inputs },
	};
}

/** Merge: waits for both inputs, then passes on the items of input 2 (input 1 only says "done"). */
export function waitForBoth(name: string, position: Position): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.merge',
		typeVersion: 3.2,
		position,
		parameters: {
			mode: 'chooseBranch',
			chooseBranchMode: 'waitForAll',
			output: 'specifiedInput',
			useDataOfInput: 2,
		},
	};
}

export function respond(
	name: string,
	position: Position,
	body: string,
	options: Record<string, unknown> = {},
): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.respondToWebhook',
		typeVersion: 1.1,
		position,
		parameters: { respondWith: 'json', responseBody: `={{ JSON.stringify(${body}) }}`, options },
	};
}

export function splitOut(name: string, position: Position, field: string, keep: string): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		position,
		parameters: {
			fieldToSplitOut: field,
			include: 'selectedOtherFields',
			fieldsToInclude: keep,
			options: {},
		},
	};
}

/** Split Out: one item per element of an array of objects, each element becoming the item. */
export function splitItems(name: string, position: Position, field: string): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		position,
		parameters: { fieldToSplitOut: field, include: 'noOtherFields', options: {} },
	};
}

export function dropDuplicates(name: string, position: Position): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.removeDuplicates',
		typeVersion: 2,
		position,
		parameters: { operation: 'removeDuplicateInputItems', compare: 'allFields', options: {} },
	};
}

export function noOp(name: string, position: Position): NodeSpec {
	return { name, type: 'n8n-nodes-base.noOp', typeVersion: 1, position, parameters: {} };
}

const byName = (table: string) => ({ __rl: true, mode: 'name', value: table });

export interface RowCondition {
	column: string;
	condition: 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte';
	value: string;
}

const conditions = (list: RowCondition[]) => ({
	conditions: list.map((entry) => ({
		keyName: entry.column,
		condition: entry.condition,
		keyValue: entry.value,
	})),
});

/** Data Table: the columns of each input item are written as they are (automatic mapping). */
export function insertRows(name: string, position: Position, table: string): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.dataTable',
		typeVersion: 1.1,
		position,
		parameters: {
			resource: 'row',
			operation: 'insert',
			dataTableId: byName(table),
			columns: {
				mappingMode: 'autoMapInputData',
				value: {},
				matchingColumns: [],
				schema: [],
				attemptToConvertTypes: false,
				convertFieldsToString: false,
			},
			options: {},
		},
	};
}

/** Data Table: upsert/update the rows matching all conditions with the given column values. */
export function writeRows(
	name: string,
	position: Position,
	table: string,
	operation: 'upsert' | 'update',
	where: RowCondition[],
	values: Record<string, string>,
	extra: Extra = {},
): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.dataTable',
		typeVersion: 1.1,
		position,
		parameters: {
			resource: 'row',
			operation,
			dataTableId: byName(table),
			matchType: 'allConditions',
			filters: conditions(where),
			columns: {
				mappingMode: 'defineBelow',
				value: values,
				matchingColumns: [],
				schema: [],
				attemptToConvertTypes: false,
				convertFieldsToString: false,
			},
			options: {},
		},
		...extra,
	};
}

/** Data Table: the rows matching all conditions; `limit` rows (oldest `orderBy` first) or all. */
export function getRows(
	name: string,
	position: Position,
	table: string,
	where: RowCondition[],
	options: { limit?: number; orderBy?: string } & Extra = {},
): NodeSpec {
	const { limit, orderBy, ...extra } = options;
	return {
		name,
		type: 'n8n-nodes-base.dataTable',
		typeVersion: 1.1,
		position,
		parameters: {
			resource: 'row',
			operation: 'get',
			dataTableId: byName(table),
			matchType: 'allConditions',
			filters: conditions(where),
			...(limit === undefined ? { returnAll: true } : { limit }),
			...(orderBy ? { orderBy: true, orderByColumn: orderBy, orderByDirection: 'ASC' } : {}),
		},
		...extra,
	};
}

/** Data Table: deletes the rows matching all conditions (at least one condition). */
export function deleteRows(
	name: string,
	position: Position,
	table: string,
	where: RowCondition[],
	extra: Extra = {},
): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.dataTable',
		typeVersion: 1.1,
		position,
		parameters: {
			resource: 'row',
			operation: 'deleteRows',
			dataTableId: byName(table),
			matchType: 'allConditions',
			filters: conditions(where),
			options: {},
		},
		...extra,
	};
}

/** Data Table: creates the table with these columns unless one of that name exists (then it is reused as it is). */
export function createTable(
	name: string,
	position: Position,
	table: string,
	columns: Array<{ name: string; type: string }>,
): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.dataTable',
		typeVersion: 1.1,
		position,
		parameters: {
			resource: 'table',
			operation: 'create',
			tableName: table,
			columns: { column: columns.map((column) => ({ name: column.name, type: column.type })) },
			options: { createIfNotExists: true },
		},
		executeOnce: true,
		// Two first runs at the same moment: the second create finds the name taken; the table is there.
		onError: 'continueRegularOutput',
	};
}

/** n8n's Send Email node (SMTP credential), plain text, without n8n's attribution line. */
export function sendEmail(
	name: string,
	position: Position,
	message: { from: string; to: string; subject: string; text: string },
	extra: Extra = {},
): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.emailSend',
		typeVersion: 2.1,
		position,
		parameters: {
			fromEmail: message.from,
			toEmail: message.to,
			subject: message.subject,
			emailFormat: 'text',
			text: message.text,
			options: { appendAttribution: false },
		},
		credentials: { smtp: { name: 'Team mail (SMTP)' } },
		...extra,
	};
}
