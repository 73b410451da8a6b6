/**
 * A failed item must take the running n8n's error output. The check below is n8n's own rule
 * for each major version (n8n-core WorkflowExecute.handleNodeErrorOutput: 2.x takes items whose
 * only keys are error/message/details, 1.x only { error } or { error, message }).
 */
import fc from 'fast-check';
import { version } from 'n8n-workflow/package.json';
import { failedItemJson } from '../../../nodes/shared/node/outcomes';

const takenByErrorOutput = (json: Record<string, unknown>, major: number): boolean =>
	major >= 2
		? Boolean(json.error) &&
			Object.keys(json).every((key) => ['error', 'message', 'details'].includes(key))
		: Boolean(json.error) &&
			(Object.keys(json).length === 1 || (Boolean(json.message) && Object.keys(json).length === 2));

const details = {
	kind: 'crm-unavailable',
	httpStatus: 503,
	reason: 'HubSpot answered 429 three times',
	item: 0,
	retryAfterSeconds: 10,
};

test('n8n 2.x: the details travel with the message', () => {
	const json = failedItemJson('HubSpot is rate limiting', details, '2.41.0');
	expect(json).toEqual({ error: 'HubSpot is rate limiting', details });
	expect(takenByErrorOutput(json, 2)).toBe(true);
});

test('n8n 1.x: { error, message } with the reason, the only two-key shape n8n 1 routes to the error output', () => {
	const json = failedItemJson('HubSpot is rate limiting', details, '1.120.31');
	expect(json).toEqual({
		error: 'HubSpot is rate limiting',
		message: 'HubSpot answered 429 three times',
	});
	expect(takenByErrorOutput(json, 1)).toBe(true);
	// The 2.x shape would be sent down the success output by n8n 1.
	expect(takenByErrorOutput(failedItemJson('x', details, '2.0.0'), 1)).toBe(false);
});

test('every failure takes the error output of the n8n it runs on', () => {
	fc.assert(
		fc.property(
			fc.string({ minLength: 1 }),
			fc.option(fc.string(), { nil: undefined }),
			fc.constantFrom('1.82.0', '1.120.31', '2.0.0', '2.41.0', '3.1.0'),
			(message, reason, workflowVersion) => {
				const json = failedItemJson(
					message,
					{ kind: 'invalid-input', httpStatus: 400, reason, item: 0 },
					workflowVersion,
				);
				return takenByErrorOutput(json, Number.parseInt(workflowVersion, 10));
			},
		),
	);
});

test('by default the installed n8n-workflow decides (2.x in this repo)', () => {
	expect(Number.parseInt(version, 10)).toBeGreaterThanOrEqual(2);
	expect(failedItemJson('m', details)).toEqual({ error: 'm', details });
});
