/** Reading loosely typed item values: JSON parameters, objects, change times. */
import type { IDataObject } from 'n8n-workflow';

export const asObject = (value: unknown): IDataObject | undefined =>
	typeof value === 'object' && value !== null && !Array.isArray(value)
		? (value as IDataObject)
		: undefined;

/** A JSON parameter's value: objects as given, text parsed; `invalid` when the text is not JSON. */
export function parseJsonParameter(raw: unknown): { value: unknown } | 'invalid' {
	if (typeof raw !== 'string') return { value: raw };
	if (raw.trim() === '') return { value: undefined };
	try {
		return { value: JSON.parse(raw) as unknown };
	} catch {
		return 'invalid';
	}
}

/** Epoch ms of a change time given as ms, digits or an ISO string; undefined when it is none. */
export function timeOf(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value !== 'string' || value === '') return undefined;
	const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
	return Number.isNaN(ms) ? undefined : ms;
}
