import fc from 'fast-check';

import {
	alignBatchResponses,
	boundaryOf,
	buildBatchRequest,
	parseBatchResponse,
	type BatchGroup,
} from '../../../nodes/shared/providers/dynamics/batch';

const ROOT = 'https://contoso.crm.dynamics.com/api/data/v9.2/';

function counter(): () => string {
	let next = 0;
	return () => `id${++next}`;
}

describe('buildBatchRequest', () => {
	it('writes reads as plain GET parts and each change set with its own boundary and Content-IDs, CRLF throughout', () => {
		const groups: BatchGroup[] = [
			{ kind: 'read', operation: { method: 'GET', url: `${ROOT}contacts?$select=fullname` } },
			{
				kind: 'changeset',
				operations: [
					{
						method: 'PATCH',
						url: `${ROOT}contacts(00000000-0000-0000-0000-000000000001)`,
						headers: { 'If-Match': '*' },
						body: { firstname: 'Ann' },
					},
					{ method: 'POST', url: `${ROOT}tasks`, body: { subject: 'x' } },
				],
			},
		];
		const built = buildBatchRequest(groups, counter());
		expect(built.contentType).toBe('multipart/mixed; boundary=batch_id1');
		expect(built.body).toBe(
			[
				'--batch_id1',
				'Content-Type: application/http',
				'Content-Transfer-Encoding: binary',
				'',
				`GET ${ROOT}contacts?$select=fullname HTTP/1.1`,
				'Accept: application/json',
				'',
				'',
				'--batch_id1',
				'Content-Type: multipart/mixed; boundary=changeset_id2',
				'',
				'--changeset_id2',
				'Content-Type: application/http',
				'Content-Transfer-Encoding: binary',
				'Content-ID: 1',
				'',
				`PATCH ${ROOT}contacts(00000000-0000-0000-0000-000000000001) HTTP/1.1`,
				'If-Match: *',
				'Content-Type: application/json; type=entry',
				'',
				'{"firstname":"Ann"}',
				'--changeset_id2',
				'Content-Type: application/http',
				'Content-Transfer-Encoding: binary',
				'Content-ID: 2',
				'',
				`POST ${ROOT}tasks HTTP/1.1`,
				'Content-Type: application/json; type=entry',
				'',
				'{"subject":"x"}',
				'--changeset_id2--',
				'--batch_id1--',
				'',
			].join('\r\n'),
		);
		// No bare LF anywhere: every line break is CRLF.
		expect(built.body.replace(/\r\n/g, '')).not.toContain('\n');
	});

	it('numbers Content-IDs across change sets so they stay unique in the batch', () => {
		const op = { method: 'POST' as const, url: `${ROOT}tasks`, body: {} };
		const built = buildBatchRequest(
			[
				{ kind: 'changeset', operations: [op] },
				{ kind: 'changeset', operations: [op] },
				{ kind: 'changeset', operations: [op] },
			],
			counter(),
		);
		expect(built.body.match(/Content-ID: \d+/g)).toEqual([
			'Content-ID: 1',
			'Content-ID: 2',
			'Content-ID: 3',
		]);
		expect(built.body.match(/boundary=changeset_id\d+/g)).toEqual([
			'boundary=changeset_id2',
			'boundary=changeset_id3',
			'boundary=changeset_id4',
		]);
	});
});

/** A realistic Dataverse response: two successful change sets (204, 201), one failed (400) and a GET. */
const MIXED_RESPONSE = [
	'--batchresponse_aa',
	'Content-Type: multipart/mixed; boundary=changesetresponse_c1',
	'',
	'--changesetresponse_c1',
	'Content-Type: application/http',
	'Content-Transfer-Encoding: binary',
	'Content-ID: 1',
	'',
	'HTTP/1.1 204 No Content',
	'OData-Version: 4.0',
	`OData-EntityId: ${ROOT}contacts(11111111-1111-1111-1111-111111111111)`,
	'',
	'',
	'--changesetresponse_c1--',
	'--batchresponse_aa',
	'Content-Type: multipart/mixed; boundary=changesetresponse_c2',
	'',
	'--changesetresponse_c2',
	'Content-Type: application/http',
	'Content-Transfer-Encoding: binary',
	'Content-ID: 2',
	'',
	'HTTP/1.1 201 Created',
	'Content-Type: application/json; odata.metadata=minimal',
	'',
	'{"contactid":"22222222-2222-2222-2222-222222222222"}',
	'--changesetresponse_c2--',
	'--batchresponse_aa',
	'Content-Type: application/http',
	'Content-Transfer-Encoding: binary',
	'',
	'HTTP/1.1 400 Bad Request',
	'Content-Type: application/json; odata.metadata=minimal',
	'',
	'{"error":{"code":"0x80040203","message":"Invalid value for lastname"}}',
	'--batchresponse_aa',
	'Content-Type: application/http',
	'Content-Transfer-Encoding: binary',
	'',
	'HTTP/1.1 200 OK',
	'Content-Type: application/json; odata.metadata=minimal',
	'',
	'{"value":[{"fullname":"Ann"}]}',
	'--batchresponse_aa--',
	'',
];

describe('parseBatchResponse', () => {
	const contentType = 'multipart/mixed; boundary=batchresponse_aa';

	it('parses mixed 204 / 201 / 400 / 200 parts with CRLF line endings', () => {
		const entries = parseBatchResponse(contentType, MIXED_RESPONSE.join('\r\n'));
		expect(entries).toHaveLength(4);
		expect(entries[0]).toEqual({
			kind: 'changeset',
			responses: [
				{
					status: 204,
					contentId: '1',
					body: '',
					headers: {
						'odata-version': '4.0',
						'odata-entityid': `${ROOT}contacts(11111111-1111-1111-1111-111111111111)`,
					},
				},
			],
		});
		expect(entries[1]).toMatchObject({
			kind: 'changeset',
			responses: [{ status: 201, contentId: '2' }],
		});
		const created = entries[1].kind === 'changeset' ? entries[1].responses[0] : undefined;
		expect(JSON.parse(created!.body)).toEqual({
			contactid: '22222222-2222-2222-2222-222222222222',
		});
		expect(entries[2]).toMatchObject({ kind: 'single', response: { status: 400 } });
		const failed = entries[2].kind === 'single' ? entries[2].response : undefined;
		expect(JSON.parse(failed!.body).error.message).toBe('Invalid value for lastname');
		expect(entries[3]).toMatchObject({ kind: 'single', response: { status: 200 } });
		const read = entries[3].kind === 'single' ? entries[3].response : undefined;
		expect(JSON.parse(read!.body)).toEqual({ value: [{ fullname: 'Ann' }] });
	});

	it('gives the same result for bare LF line endings', () => {
		expect(parseBatchResponse(contentType, MIXED_RESPONSE.join('\n'))).toEqual(
			parseBatchResponse(contentType, MIXED_RESPONSE.join('\r\n')),
		);
	});

	it('ignores a preamble and an epilogue and accepts a quoted boundary', () => {
		const body = ['preamble text', ...MIXED_RESPONSE, 'epilogue'].join('\r\n');
		expect(parseBatchResponse('multipart/mixed; boundary="batchresponse_aa"', body)).toHaveLength(
			4,
		);
	});

	it('rejects a response without a boundary and a part without a status line', () => {
		expect(() => parseBatchResponse('application/json', '{}')).toThrow(/no multipart boundary/);
		const broken = ['--b', 'Content-Type: application/http', '', 'garbage', '--b--'].join('\r\n');
		expect(() => parseBatchResponse('multipart/mixed; boundary=b', broken)).toThrow(
			/Unexpected part/,
		);
	});

	it('reads boundaries with or without quotes', () => {
		expect(boundaryOf('multipart/mixed; boundary=abc')).toBe('abc');
		expect(boundaryOf('multipart/mixed;boundary="a b"')).toBe('a b');
		expect(boundaryOf('application/json')).toBeUndefined();
	});
});

describe('alignBatchResponses', () => {
	const op = { method: 'POST' as const, url: `${ROOT}tasks`, body: {} };

	it("applies a failed change set's single error part to every operation in it and leaves missing entries undefined", () => {
		const groups: BatchGroup[] = [
			{ kind: 'changeset', operations: [op, op] },
			{ kind: 'changeset', operations: [op] },
			{ kind: 'read', operation: { method: 'GET', url: `${ROOT}tasks` } },
		];
		const error = { status: 400, headers: {}, body: '{"error":{"message":"bad"}}' };
		const ok = { status: 204, headers: {}, body: '' };
		const aligned = alignBatchResponses(groups, [
			{ kind: 'single', response: error },
			{ kind: 'changeset', responses: [ok] },
		]);
		expect(aligned).toEqual([[error, error], [ok], [undefined]]);
	});
});

describe('parseBatchResponse (property)', () => {
	/** Test-side writer of a Dataverse-style response, independent of the module under test. */
	function writeResponse(
		entries: Array<{ changeset: boolean; status: number; body: string }>,
		eol: string,
	): string {
		const lines: string[] = [];
		entries.forEach((entry, index) => {
			lines.push('--batchresponse_p');
			const part = [
				'Content-Type: application/http',
				'Content-Transfer-Encoding: binary',
				'',
				`HTTP/1.1 ${entry.status} X`,
				'OData-Version: 4.0',
				'',
				entry.body,
			];
			if (entry.changeset) {
				lines.push(
					`Content-Type: multipart/mixed; boundary=changesetresponse_${index}`,
					'',
					`--changesetresponse_${index}`,
					...part,
					`--changesetresponse_${index}--`,
				);
			} else {
				lines.push(...part);
			}
		});
		lines.push('--batchresponse_p--', '');
		return lines.join(eol);
	}

	it('recovers every status and JSON body, in order, whatever the text inside and the line endings', () => {
		const entry = fc.record({
			changeset: fc.boolean(),
			status: fc.constantFrom(200, 201, 204, 400, 404, 412, 429, 500),
			// JSON text never contains a raw line break, so it cannot fake a boundary line.
			body: fc.oneof(
				fc.constant(''),
				fc.jsonValue().map((value) => JSON.stringify({ value })),
			),
		});
		fc.assert(
			fc.property(
				fc.array(entry, { minLength: 1, maxLength: 12 }),
				fc.constantFrom('\r\n', '\n'),
				(entries, eol) => {
					const parsed = parseBatchResponse(
						'multipart/mixed; boundary=batchresponse_p',
						writeResponse(entries, eol),
					);
					expect(parsed.map((item) => item.kind)).toEqual(
						entries.map((item) => (item.changeset ? 'changeset' : 'single')),
					);
					const responses = parsed.map((item) =>
						item.kind === 'single' ? item.response : item.responses[0],
					);
					expect(responses.map((response) => response.status)).toEqual(
						entries.map((item) => item.status),
					);
					expect(responses.map((response) => response.body)).toEqual(
						entries.map((item) => item.body),
					);
				},
			),
			{ numRuns: 200 },
		);
	});
});
