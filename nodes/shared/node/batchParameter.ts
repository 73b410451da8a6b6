/**
 * Parameters that hold for a whole run (which CRM object types, routing, limits, write modes…).
 * They may be expressions — the templates derive several from a Settings node — but an
 * expression that gives items different values would silently use item 0's for all of them.
 * `batchParameter` reads item 0's value and, when the parameter holds an expression, checks
 * every other item gets the same one; a difference stops the run with an error that says so.
 */
import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeParameters,
	type NodeParameterValueType,
} from 'n8n-workflow';

/** Whether a stored parameter value holds an expression anywhere inside it. */
export function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (typeof value === 'object' && value !== null)
		return Object.values(value).some(holdsExpression);
	return false;
}

function storedValue(parameters: INodeParameters, path: string): unknown {
	let value: unknown = parameters;
	for (const key of path.split('.')) {
		if (typeof value !== 'object' || value === null) return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

/** Equality of parameter values (JSON-like: primitives, arrays, plain objects). */
export function sameValue(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (
		typeof a !== 'object' ||
		typeof b !== 'object' ||
		a === null ||
		b === null ||
		Array.isArray(a) !== Array.isArray(b)
	)
		return false;
	const left = a as Record<string, unknown>;
	const right = b as Record<string, unknown>;
	const keys = Object.keys(left);
	return (
		keys.length === Object.keys(right).length &&
		keys.every((key) => Object.hasOwn(right, key) && sameValue(left[key], right[key]))
	);
}

/** Index of the first item whose value differs from item 0's, if any. */
export function firstDifferent(values: readonly unknown[]): number | undefined {
	const index = values.findIndex((value) => !sameValue(value, values[0]));
	return index < 0 ? undefined : index;
}

export function batchParameter<T>(
	ctx: IExecuteFunctions,
	path: string,
	label: string,
	fallback?: T,
): T {
	const first = ctx.getNodeParameter(path, 0, fallback as NodeParameterValueType) as T;
	const count = ctx.getInputData().length;
	if (count < 2 || !holdsExpression(storedValue(ctx.getNode().parameters, path))) return first;
	const values: unknown[] = [first];
	for (let itemIndex = 1; itemIndex < count; itemIndex++)
		values.push(ctx.getNodeParameter(path, itemIndex, fallback as NodeParameterValueType));
	const different = firstDifferent(values);
	if (different !== undefined)
		throw new NodeOperationError(
			ctx.getNode(),
			`"${label}" is one setting for the whole run, but its expression gives item ${different} a different value than item 0`,
			{
				itemIndex: different,
				description: `Use an expression whose value is the same for every item (for example one reading a Settings node with .first()), or split the items so each run has one value.`,
			},
		);
	return first;
}
