import fc from 'fast-check';
import { NodeApiError, NodeOperationError, type INode } from 'n8n-workflow';

import {
	classifyFailure,
	crmFailureMarks,
	DEFAULT_RETRY_AFTER_SECONDS,
	markFailure,
	writeFailureMarks,
	type FailureKind,
} from '../../nodes/shared/node/failureKind';
import { CrmRequestError, type CrmFailureKind } from '../../nodes/shared/transport/errors';
import { toNodeError } from '../../nodes/shared/transport/nodeErrors';

const node: INode = {
	id: 'n1',
	name: 'CRM Link',
	type: 'n8n-nodes-crm-sync.crmLink',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function crmError(
	kind: CrmFailureKind,
	overrides: Partial<ConstructorParameters<typeof CrmRequestError>[0]> = {},
) {
	return new CrmRequestError({
		crm: 'hubspot',
		label: 'POST /crm/v3/objects/notes/batch/create',
		kind,
		message: `HubSpot POST /crm/v3/objects/notes/batch/create: ${kind}`,
		crmMessage: kind,
		attempts: 3,
		retryable: kind !== 'rejected',
		...overrides,
	});
}

describe('classifyFailure: CRM failures', () => {
	const expected: Array<[CrmFailureKind, number | undefined, FailureKind, number]> = [
		['rejected', 400, 'crm-rejected', 502],
		['unauthorized', 401, 'crm-rejected', 502],
		['token', undefined, 'crm-rejected', 502],
		['rate-limited', 429, 'crm-unavailable', 503],
		['gave-up', 503, 'crm-unavailable', 503],
		['budget', undefined, 'crm-unavailable', 503],
		['ambiguous', 500, 'uncertain', 502],
		['unexpected', undefined, 'crm-unavailable', 503],
		['unexpected', 501, 'crm-rejected', 502],
	];

	it.each(expected)(
		'transport kind %s (HTTP %s) ⇒ %s, %i — as thrown and as the NodeApiError a node reports',
		(kind, status, failureKind, httpStatus) => {
			const raw = crmError(kind, { status });
			for (const error of [raw, toNodeError(node, raw, 0)]) {
				const classified = classifyFailure(error);
				expect(classified).toMatchObject({ kind: failureKind, httpStatus, crm: 'hubspot' });
				expect(classified.reason).toContain('HubSpot');
				expect(classified.field).toBeUndefined();
				if (failureKind === 'crm-unavailable')
					expect(classified.retryAfterSeconds).toBeGreaterThan(0);
				else expect(classified.retryAfterSeconds).toBeUndefined();
			}
		},
	);

	it('uses the wait the CRM asked for: directly, or through the marks a node keeps on the NodeApiError', () => {
		const raw = crmError('rate-limited', { status: 429, retryAfterMs: 90_500 });
		expect(classifyFailure(raw).retryAfterSeconds).toBe(91);
		// The NodeApiError keeps the CRM and kind but not the wait: the marks carry it.
		const reported = toNodeError(node, raw, 0);
		expect(classifyFailure(reported).retryAfterSeconds).toBe(DEFAULT_RETRY_AFTER_SECONDS);
		expect(classifyFailure(markFailure(reported, crmFailureMarks(raw))).retryAfterSeconds).toBe(91);
	});

	it('a NodeApiError from elsewhere is judged by its HTTP code', () => {
		const overloaded = new NodeApiError(
			node,
			{ message: 'Service Unavailable', crm: 'salesforce' },
			{ httpCode: '503' },
		);
		expect(classifyFailure(overloaded)).toMatchObject({
			kind: 'crm-unavailable',
			httpStatus: 503,
			crm: 'salesforce',
		});
		const refused = new NodeApiError(
			node,
			{ message: 'Bad Request', crm: 'dynamics' },
			{ httpCode: '400' },
		);
		expect(classifyFailure(refused)).toMatchObject({
			kind: 'crm-rejected',
			httpStatus: 502,
			crm: 'dynamics',
		});
	});
});

describe('classifyFailure: marks and input errors', () => {
	it('a write whose outcome is unknown is uncertain (502) whatever else the error says', () => {
		const error = markFailure(
			new NodeOperationError(
				node,
				'Item 0: the note may exist as 123; not retried, check record 123',
			),
			{ uncertain: true, crm: 'hubspot' },
		);
		expect(classifyFailure(error)).toEqual({
			kind: 'uncertain',
			httpStatus: 502,
			crm: 'hubspot',
			reason: 'Item 0: the note may exist as 123; not retried, check record 123',
		});
		const fromTransport = markFailure(toNodeError(node, crmError('rejected', { status: 400 }), 0), {
			uncertain: true,
		});
		expect(classifyFailure(fromTransport).kind).toBe('uncertain');
	});

	it('input errors name the field: from the marks, else from the message', () => {
		const marked = markFailure(new NodeOperationError(node, 'Item 2: too many participants'), {
			failureKind: 'invalid-input',
			field: 'participants',
			httpStatus: 413,
		});
		expect(classifyFailure(marked)).toEqual({
			kind: 'invalid-input',
			httpStatus: 413,
			field: 'participants',
			reason: 'Item 2: too many participants',
		});
		const unmarked = new NodeOperationError(node, 'Item 1: field "actionItems.0.due": not a date');
		expect(classifyFailure(unmarked)).toEqual({
			kind: 'invalid-input',
			httpStatus: 422,
			field: 'actionItems.0.due',
			reason: 'Item 1: field "actionItems.0.due": not a date',
		});
	});

	it('a marked CRM rejection keeps its CRM; input errors never carry one', () => {
		const rejected = markFailure(
			new NodeOperationError(
				node,
				'Item 0: hubspot rejected the task: Property values were not valid',
			),
			{ failureKind: 'crm-rejected', crm: 'hubspot' },
		);
		expect(classifyFailure(rejected)).toMatchObject({
			kind: 'crm-rejected',
			httpStatus: 502,
			crm: 'hubspot',
		});
		const input = markFailure(new NodeOperationError(node, 'Item 0: bad'), {
			failureKind: 'invalid-input',
			crm: 'hubspot',
		});
		expect(classifyFailure(input).crm).toBeUndefined();
	});

	it('always gives a kind, a status in the 4xx/5xx range and a reason, for any message and marks', () => {
		const kinds = fc.constantFrom<FailureKind | undefined>(
			'invalid-input',
			'crm-rejected',
			'crm-unavailable',
			'uncertain',
			undefined,
		);
		fc.assert(
			fc.property(
				fc.string(),
				kinds,
				fc.option(fc.boolean(), { nil: undefined }),
				(message, failureKind, uncertain) => {
					const error = markFailure(new NodeOperationError(node, message || 'x'), {
						failureKind,
						uncertain,
					});
					const classified = classifyFailure(error);
					expect(classified.httpStatus).toBeGreaterThanOrEqual(400);
					expect(classified.httpStatus).toBeLessThan(600);
					expect(classified.reason).toBe(message || 'x');
					if (uncertain) expect(classified.kind).toBe('uncertain');
					else if (failureKind) expect(classified.kind).toBe(failureKind);
				},
			),
		);
	});
});

describe('writeFailureMarks: a write the CRM did not carry out, reported per record', () => {
	const classify = (info: { code?: string; status?: number; transportKind?: string }) =>
		classifyFailure(
			markFailure(
				new NodeOperationError(node, 'Item 0: hubspot rejected the note: x'),
				writeFailureMarks('hubspot', info),
			),
		);

	it.each([
		[{ code: 'gave-up', status: 503 }, 'crm-unavailable', 503],
		[{ code: 'rate-limited', status: 429 }, 'crm-unavailable', 503],
		[{ code: 'ambiguous', status: 500 }, 'uncertain', 502],
		[{ code: 'rejected', status: 400 }, 'crm-rejected', 502],
		[{ code: 'VALIDATION_ERROR', status: 400 }, 'crm-rejected', 502],
		[{ code: 'INVALID_TARGET' }, 'crm-rejected', 502],
		[{ code: 'SERVICE_BUSY', status: 503 }, 'crm-unavailable', 503],
		[{}, 'crm-rejected', 502],
		// A request the transport gave up on after socket errors: its verdict, not the socket's code.
		[{ code: 'UND_ERR_SOCKET', transportKind: 'gave-up' }, 'crm-unavailable', 503],
		[{ code: 'ECONNRESET', transportKind: 'ambiguous' }, 'uncertain', 502],
		[{ code: 'INVALID_EMAIL', status: 400, transportKind: 'rejected' }, 'crm-rejected', 502],
	] as const)('%j ⇒ %s (%i), naming the CRM', (info, kind, httpStatus) => {
		expect(classify(info)).toMatchObject({ kind, httpStatus, crm: 'hubspot' });
	});
});
