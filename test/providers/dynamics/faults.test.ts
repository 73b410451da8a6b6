import nock from 'nock';

import { activityId } from '../../../nodes/shared/providers/dynamics/activityIds';
import { CrmRequestError } from '../../../nodes/shared/transport/errors';
import {
	API,
	BATCH_PATH,
	batchResponse,
	changesetPart,
	createdPart,
	errorPart,
	interceptBatch,
	makeProvider,
	NEW_TOKEN,
	OLD_TOKEN,
	ORG,
	sentParts,
	setupNock,
} from './support';

setupNock();

const USER = 'e0000000-0000-0000-0000-000000000001';
const CONTACT = 'c0000000-0000-0000-0000-000000000001';

/** The systemusers answer for ann@contoso.com. */
const ANN = {
	value: [{ systemuserid: USER, internalemailaddress: 'ann@contoso.com', isdisabled: false }],
};
const OWNER_QUERY = {
	$select: 'systemuserid,internalemailaddress,isdisabled',
	$filter: "internalemailaddress eq 'ann@contoso.com' and isdisabled eq false",
};
const noteDraft = {
	key: 'conv-9:note',
	kind: 'note' as const,
	body: 'hello',
	targets: [
		{ crm: 'dynamics' as const, kind: 'contact' as const, objectType: 'contact', id: CONTACT },
	],
};
/** The deterministic ids of the note above and of a call with key conv-9:call on the same contact. */
const NOTE = activityId(noteDraft);
const CALL = activityId({ ...noteDraft, key: 'conv-9:call', kind: 'call' });

async function caught(promise: Promise<unknown>): Promise<CrmRequestError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(CrmRequestError);
		return error as CrmRequestError;
	}
	throw new Error('expected the call to fail');
}

describe('Dynamics provider under faults', () => {
	it('429 with Retry-After: 3 ⇒ the injected sleep is asked for exactly 3000 ms, then the call succeeds', async () => {
		const { provider, sleeps } = makeProvider();
		nock(ORG)
			.get(`${API}/systemusers`)
			.query(OWNER_QUERY)
			.reply(
				429,
				{
					error: {
						code: '0x80072322',
						message:
							'Number of requests exceeded the limit of 6000 over time window of 300 seconds.',
					},
				},
				{ 'Retry-After': '3' },
			)
			.get(`${API}/systemusers`)
			.query(OWNER_QUERY)
			.reply(200, {
				value: [{ systemuserid: USER, internalemailaddress: 'Ann@Contoso.com', isdisabled: false }],
			});
		const owners = await provider.resolveOwners(['ANN@contoso.com']);
		expect(sleeps).toEqual([3000]);
		expect([...owners]).toEqual([['ann@contoso.com', USER]]);
		expect(provider.usage()).toMatchObject({ calls: 2, retries: 1 });
	});

	it('a create $batch answered 429 is re-sent after exactly Retry-After (nothing was processed)', async () => {
		const { provider, sleeps } = makeProvider();
		nock(ORG)
			.post(BATCH_PATH)
			.reply(
				429,
				{
					error: {
						code: '0x80072321',
						message: 'Combined execution time of incoming requests exceeded limit',
					},
				},
				{ 'Retry-After': '7' },
			)
			.post(BATCH_PATH)
			.reply(...batchResponse([changesetPart('r', [createdPart('annotations', NOTE, '1')])]));
		expect(await provider.createActivities([noteDraft])).toEqual([
			{ ok: true, id: NOTE, created: true },
		]);
		expect(sleeps).toEqual([7000]);
	});

	it("5xx on a read ⇒ exponential backoff, then a clear error naming Dynamics 365, the request and Dataverse's message", async () => {
		const { provider, sleeps } = makeProvider({
			transport: { retry: { maxRetries: 2, baseDelayMs: 100, maxDelayMs: 1000 } },
		});
		nock(ORG)
			.post(BATCH_PATH)
			.times(3)
			.reply(503, { error: { code: '0x80040216', message: 'Service temporarily unavailable' } });
		const error = await caught(provider.getRecords('contact', [CONTACT], ['fullname']));
		expect(sleeps).toEqual([100, 200]);
		expect(error.kind).toBe('gave-up');
		expect(error.attempts).toBe(3);
		expect(error.status).toBe(503);
		expect(error.message).toContain('Dynamics 365 POST $batch (read contacts)');
		expect(error.message).toContain('Service temporarily unavailable');
	});

	it('a 500 on the create $batch is simply sent again (the create carries its own id): stored meanwhile ⇒ 412 ⇒ success, no lookup', async () => {
		const { provider } = makeProvider();
		const failed = interceptBatch([
			500,
			JSON.stringify({ error: { code: '0x80040216', message: 'Generic SQL error' } }),
			{ 'Content-Type': 'application/json' },
		]);
		const resent = interceptBatch(
			batchResponse([errorPart(412, '', 'A record with matching key values already exists.')]),
		);
		expect(await provider.createActivities([noteDraft])).toEqual([
			{ ok: true, id: NOTE, created: false },
		]);
		expect(sentParts(resent.bodies[0])).toEqual(sentParts(failed.bodies[0]));
		expect(
			sentParts(failed.bodies[0]).map(
				(part) =>
					`${part.method} ${part.url.replace(/^.*\/v9\.2\//, '')} ${part.headers['If-None-Match']}`,
			),
		).toEqual([`PATCH annotations(${NOTE}) *`]);
		expect(provider.usage().calls).toBe(2);
	});

	it('a gateway timeout (504) and a reset are sent again as well: one activity, created by the last attempt', async () => {
		const { provider } = makeProvider();
		const callDraft = {
			key: 'conv-9:call',
			kind: 'call' as const,
			body: 'b',
			targets: noteDraft.targets,
		};
		nock(ORG)
			.post(BATCH_PATH)
			.reply(504, '')
			.post(BATCH_PATH)
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
		interceptBatch(
			batchResponse([
				changesetPart('r1', [createdPart('annotations', NOTE, '1')]),
				changesetPart('r2', [createdPart('phonecalls', CALL, '2')]),
			]),
		);
		expect(await provider.createActivities([noteDraft, callDraft])).toEqual([
			{ ok: true, id: NOTE, created: true },
			{ ok: true, id: CALL, created: true },
		]);
		expect(provider.usage()).toMatchObject({ calls: 3, retries: 2 });
	});

	it('no answer before our deadline ⇒ sent again at once, never reported uncertain', async () => {
		const { provider } = makeProvider({ transport: { retry: { requestTimeoutMs: 50 } } });
		nock(ORG)
			.post(BATCH_PATH)
			.delay(400)
			.reply(...batchResponse([changesetPart('r', [createdPart('annotations', NOTE, '1')])]));
		interceptBatch(
			batchResponse([errorPart(412, '', 'A record with matching key values already exists.')]),
		);
		expect(await provider.createActivities([noteDraft])).toEqual([
			{ ok: true, id: NOTE, created: false },
		]);
		expect(provider.usage()).toMatchObject({ calls: 2, retries: 1 });
	});

	it('a connection reset from fetch is recognised and the read retried', async () => {
		const { provider, sleeps } = makeProvider({ transport: { retry: { baseDelayMs: 50 } } });
		nock(ORG)
			.get(`${API}/systemusers`)
			.query(OWNER_QUERY)
			.replyWithError(Object.assign(new Error('socket reset'), { code: 'ECONNRESET' }))
			.get(`${API}/systemusers`)
			.query(OWNER_QUERY)
			.reply(200, ANN);
		expect(await provider.resolveOwners(['ann@contoso.com'])).toEqual(
			new Map([['ann@contoso.com', USER]]),
		);
		expect(sleeps).toEqual([50]);
	});

	it('401 ⇒ tokens.refresh() once, then the same request again with the new token', async () => {
		const { provider, refreshes } = makeProvider();
		nock(ORG)
			.get(`${API}/systemusers`)
			.query(OWNER_QUERY)
			.matchHeader('authorization', `Bearer ${OLD_TOKEN}`)
			.reply(401, '', { 'WWW-Authenticate': 'Bearer error="invalid_token"' })
			.get(`${API}/systemusers`)
			.query(OWNER_QUERY)
			.matchHeader('authorization', `Bearer ${NEW_TOKEN}`)
			.reply(200, ANN);
		expect(await provider.resolveOwners(['ann@contoso.com'])).toEqual(
			new Map([['ann@contoso.com', USER]]),
		);
		expect(refreshes()).toBe(1);
	});

	it('never puts a token in a thrown error, even when the CRM echoes it back', async () => {
		const { provider, refreshes } = makeProvider();
		nock(ORG)
			.get(`${API}/systemusers`)
			.query(OWNER_QUERY)
			.times(2)
			.reply((_uri: string) => [
				401,
				{
					error: {
						code: '0x80040220',
						message: `Token rejected: Bearer ${OLD_TOKEN} / ${NEW_TOKEN}`,
					},
				},
			]);
		const error = await caught(provider.resolveOwners(['ann@contoso.com']));
		expect(refreshes()).toBe(1);
		expect(error.kind).toBe('unauthorized');
		const everything = [
			error.message,
			error.crmMessage,
			String(error.stack),
			JSON.stringify(error),
			JSON.stringify(error.body),
		].join('\n');
		expect(everything).toContain('Token rejected');
		expect(everything).not.toContain(OLD_TOKEN);
		expect(everything).not.toContain(NEW_TOKEN);
	});
});
