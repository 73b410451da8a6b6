/** HubSpot's documented error bodies (`status: 'error'`, message, correlationId, category, …). */
import { randomUUID } from 'node:crypto';

import type { CoreErrorKind, SandboxResponse } from '../../core/types';

export interface HubSpotErrorDetail {
	message: string;
	code?: string;
	in?: string;
	subCategory?: string;
	context?: Record<string, string[]>;
}

export interface HubSpotError {
	status: 'error';
	message: string;
	correlationId: string;
	category: string;
	subCategory?: string;
	context?: Record<string, string[]>;
	errors?: HubSpotErrorDetail[];
	[extra: string]: unknown;
}

export function hubspotError(
	category: string,
	message: string,
	extra: Partial<HubSpotError> = {},
): HubSpotError {
	return { status: 'error', message, correlationId: randomUUID(), category, ...extra };
}

export function hubspotFailure(
	status: number,
	category: string,
	message: string,
	extra: Partial<HubSpotError> = {},
): SandboxResponse {
	return { status, body: hubspotError(category, message, extra) };
}

export const TEN_SECONDLY_MESSAGE = 'You have reached your ten_secondly_rolling limit.';

export function rateLimitBody(): HubSpotError {
	return hubspotError('RATE_LIMITS', TEN_SECONDLY_MESSAGE, {
		errorType: 'RATE_LIMIT',
		policyName: 'TEN_SECONDLY_ROLLING',
		groupName: 'publicapi:sandbox',
	});
}

export function hubspotCoreError(
	kind: CoreErrorKind,
	status: number,
	message: string,
): HubSpotError {
	switch (kind) {
		case 'expired':
			return hubspotError(
				'EXPIRED_AUTHENTICATION',
				'The OAuth token used to make this call expired.',
				{
					context: { expiredTokenType: ['oauth'] },
				},
			);
		case 'unauthenticated':
			return hubspotError(
				'INVALID_AUTHENTICATION',
				'Authentication credentials not found. This API supports OAuth 2.0 authentication and private app access tokens.',
			);
		case 'rate_limited':
			return rateLimitBody();
		case 'not_found':
			return hubspotError(status === 405 ? 'VALIDATION_ERROR' : 'OBJECT_NOT_FOUND', message);
		case 'bad_request':
			return hubspotError('VALIDATION_ERROR', message);
		case 'fault':
			return hubspotError(
				status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_ERROR',
				status >= 500 ? 'internal error' : message,
			);
	}
}

/** A property-level validation problem, as HubSpot reports it inside "Property values were not valid". */
export interface PropertyProblem {
	name: string;
	/** `VALUE_TOO_LONG` is the sandbox's name: HubSpot does not document the code it uses for that case. */
	code:
		| 'PROPERTY_DOESNT_EXIST'
		| 'INVALID_OPTION'
		| 'READ_ONLY_VALUE'
		| 'INVALID_EMAIL'
		| 'INVALID_LONG'
		| 'INVALID_DATE'
		| 'VALUE_TOO_LONG';
	message: string;
}

/**
 * HubSpot embeds the per-property results as JSON in `message` and lists them in `errors`.
 * `context` carries the caller's references so a batch caller can map the error back.
 */
export function propertyValidationError(
	problems: PropertyProblem[],
	context: Record<string, string[]> = {},
): HubSpotError {
	const embedded = problems.map((p) => ({
		isValid: false,
		message: p.message,
		error: p.code,
		name: p.name,
		localizedErrorMessage: p.message,
	}));
	return hubspotError(
		'VALIDATION_ERROR',
		`Property values were not valid: ${JSON.stringify(embedded)}`,
		{
			context: { ...context, propertyName: problems.map((p) => p.name) },
			errors: problems.map((p) => ({
				message: p.message,
				code: p.code,
				context: { propertyName: [p.name] },
			})),
		},
	);
}
