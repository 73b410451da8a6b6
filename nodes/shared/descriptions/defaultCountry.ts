/**
 * "Default Phone Country": the one definition and check of the country used to
 * read phone numbers written without a country code (CRM Link, Field Merge, Sync Trigger).
 * Batch-level: it is read once per run, so it takes no expression.
 */
import { isSupportedCountry } from 'libphonenumber-js';
import { NodeOperationError, type INode, type INodeProperties } from 'n8n-workflow';

import type { CountryCode } from '../logic/phone';

export const DEFAULT_COUNTRY_DISPLAY_NAME = 'Default Phone Country';

export function defaultCountryParameter(
	description: string,
	show?: Record<string, Array<string | boolean>>,
): INodeProperties {
	return {
		displayName: DEFAULT_COUNTRY_DISPLAY_NAME,
		name: 'defaultCountry',
		type: 'string',
		noDataExpression: true,
		default: 'US',
		placeholder: 'US',
		description,
		...(show ? { displayOptions: { show } } : {}),
	};
}

/** The parameter's value as a country code; empty ⇒ none; an unknown code is refused, naming the parameter. */
export function parseDefaultCountry(node: INode, raw: unknown): CountryCode | undefined {
	const code = String(raw ?? '')
		.trim()
		.toUpperCase();
	if (code === '') return undefined;
	if (!isSupportedCountry(code)) {
		throw new NodeOperationError(
			node,
			`Parameter "${DEFAULT_COUNTRY_DISPLAY_NAME}": "${code.slice(0, 8)}" is not a supported country code (use e.g. US or DE)`,
		);
	}
	return code;
}
