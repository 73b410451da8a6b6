import { NodeApiError, NodeOperationError, type INode } from 'n8n-workflow';
import { CrmRequestError } from '../../../nodes/shared/transport/errors';
import { toNodeError } from '../../../nodes/shared/transport/nodeErrors';

const node: INode = {
	id: 'n1',
	name: 'CRM Note Router',
	type: 'n8n-nodes-crm-sync.crmNoteRouter',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function crmError(overrides: Partial<ConstructorParameters<typeof CrmRequestError>[0]> = {}) {
	return new CrmRequestError({
		crm: 'salesforce',
		label: 'POST /composite/sobjects',
		kind: 'rejected',
		message:
			'Salesforce POST /composite/sobjects: rejected (HTTP 400: Required fields are missing: [LastName])',
		crmMessage: 'Required fields are missing: [LastName]',
		attempts: 1,
		retryable: false,
		status: 400,
		code: 'REQUIRED_FIELD_MISSING',
		...overrides,
	});
}

describe('toNodeError', () => {
	it('turns a CrmRequestError into a NodeApiError with the HTTP code, the item index and the CRM’s message', () => {
		const error = toNodeError(node, crmError(), 3);
		expect(error).toBeInstanceOf(NodeApiError);
		const apiError = error as NodeApiError;
		expect(apiError.httpCode).toBe('400');
		expect(apiError.context.itemIndex).toBe(3);
		expect(apiError.message).toBe(
			'Salesforce POST /composite/sobjects: rejected (HTTP 400: Required fields are missing: [LastName])',
		);
		expect(apiError.description).toBe('Required fields are missing: [LastName]');
		expect(apiError.node).toBe(node);
	});

	it('keeps our message for network failures (n8n would replace it with a generic one)', () => {
		const error = toNodeError(
			node,
			crmError({
				kind: 'ambiguous',
				status: undefined,
				code: 'ECONNRESET',
				message:
					'Salesforce POST /composite/sobjects: ECONNRESET: socket hang up after the request may have reached Salesforce',
				crmMessage: 'socket hang up',
			}),
			0,
		) as NodeApiError;
		expect(error.message).toContain('may have reached Salesforce');
		expect(error.httpCode).toBeNull();
		expect(error.context.itemIndex).toBe(0);
	});

	it('wraps other errors in a NodeOperationError with the item index and a scrubbed message', () => {
		const error = toNodeError(
			node,
			new Error('request failed: Authorization: Bearer sk-live-123456'),
			2,
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('request failed: Authorization: Bearer ***');
		expect(error.context.itemIndex).toBe(2);
		expect(JSON.stringify(error)).not.toContain('sk-live-123456');
	});

	it('returns n8n errors as they are, adding a missing item index', () => {
		const original = new NodeOperationError(node, 'Email is malformed');
		const result = toNodeError(node, original, 5);
		expect(result).toBe(original);
		expect(result.context.itemIndex).toBe(5);
		const alreadyIndexed = new NodeOperationError(node, 'x', { itemIndex: 1 });
		expect(toNodeError(node, alreadyIndexed, 4).context.itemIndex).toBe(1);
	});
});
