import nock from 'nock';

import { CrmRequestError } from '../../../nodes/shared/transport/errors';
import {
	API,
	BATCH_PATH,
	batchResponse,
	changesetPart,
	createdPart,
	filterOf,
	interceptBatch,
	jsonPart,
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
const NOTE = '10000000-0000-0000-0000-000000000001';
const OWNER_QUERY = {
	$select: 'systemuserid,internalemailaddress,isdisabled',
	$filter: "internalemailaddress eq 'ann@contoso.com' and isdisabled eq false",
};
const noteDraft = {
	key: 'conv-9:note',
	kind: 'note' as const,
	body: 'hello',
	targets: [{ crm: 'dynamics' as const, kind: 'contact' as const, objectType: 'contact', id: CONTACT }],
};

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
			.reply(429, { error: { code: '0x80072322', message: 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.' } }, { 'Retry-After': '3' })
			.get(`${API}/systemusers`)
			.query(OWNER_QUERY)
			.reply(200, { value: [{ systemuserid: USER, internalemailaddress: 'Ann@Contoso.com', isdisabled: false }] });
		const owners = await provider.resolveOwners(['ANN@contoso.com']);
		expect(sleeps).toEqual([3000]);
		expect([...owners]).toEqual([['ann@contoso.com', USER]]);
		expect(provider.usage()).toMatchObject({ calls: 2, retries: 1 });
	});

	it('a create $batch answered 429 is re-sent after exactly Retry-After (nothing was processed)', async () => {
		const { provider, sleeps } = makeProvider();
		nock(ORG)
			.post(BATCH_PATH)
			.reply(429, { error: { code: '0x80072321', message: 'Combined execution time of incoming requests exceeded limit' } }, { 'Retry-After': '7' })
			.post(BATCH_PATH)
			.reply(...batchResponse([changesetPart('r', [createdPart('annotations', NOTE, '1')])]));
		expect(await provider.createActivities([noteDraft])).toEqual([{ ok: true, id: NOTE, created: true }]);
		expect(sleeps).toEqual([7000]);
	});

	it('5xx on a read ⇒ exponential backoff, then a clear error naming Dynamics 365, the request and Dataverse\'s message', async () => {
		const { provider, sleeps } = makeProvider({ transport: { retry: { maxRetries: 2, baseDelayMs: 100, maxDelayMs: 1000 } } });
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

	it('a 500 on a create $batch is not blindly re-sent: the keys are looked up first, and only a clean miss is sent again', async () => {
		const { provider } = makeProvider();
		const failed = interceptBatch([500, JSON.stringify({ error: { code: '0x80040216', message: 'Generic SQL error' } }), { 'Content-Type': 'application/json' }]);
		const lookup = interceptBatch(batchResponse([jsonPart(200, { value: [] })]));
		const resent = interceptBatch(batchResponse([changesetPart('r', [createdPart('annotations', NOTE, '1')])]));
		expect(await provider.createActivities([noteDraft])).toEqual([{ ok: true, id: NOTE, created: true }]);
		expect(sentParts(lookup.bodies[0]).map((part) => filterOf(part.url))).toEqual([
			"(contains(notetext,'[[]crm-sync:conv-9:note]')) and (_objectid_value eq c0000000-0000-0000-0000-000000000001)",
		]);
		expect(sentParts(resent.bodies[0])).toEqual(sentParts(failed.bodies[0]));
		expect(provider.usage().calls).toBe(3);
	});

	it('after an ambiguous create, drafts found by key succeed and the others are reported — nothing is written twice', async () => {
		const { provider } = makeProvider();
		interceptBatch([504, '', {}]);
		const callDraft = { key: 'conv-9:call', kind: 'call' as const, body: 'b', targets: noteDraft.targets };
		const lookup = interceptBatch(
			batchResponse([
				jsonPart(200, { value: [{ annotationid: NOTE, notetext: 'hello\n\n[crm-sync:conv-9:note]' }] }),
				jsonPart(200, { value: [] }),
			]),
		);
		const results = await provider.createActivities([noteDraft, callDraft]);
		expect(sentParts(lookup.bodies[0]).map((part) => filterOf(part.url))).toEqual([
			"(contains(notetext,'[[]crm-sync:conv-9:note]')) and (_objectid_value eq c0000000-0000-0000-0000-000000000001)",
			"(subcategory eq 'conv-9:call') and (_regardingobjectid_value eq c0000000-0000-0000-0000-000000000001)",
		]);
		// A 504 is a gateway giving up: Dataverse may still be writing the call, so it is not re-sent.
		expect(results).toEqual([
			{ ok: true, id: NOTE, created: true },
			{ ok: false, error: { message: expect.stringContaining('not re-sent, to avoid a duplicate'), code: 'UNKNOWN_OUTCOME', uncertain: true } },
		]);
		expect(provider.usage().calls).toBe(2);
	});

	it('a connection reset from fetch is recognised and the read retried', async () => {
		const { provider, sleeps } = makeProvider({ transport: { retry: { baseDelayMs: 50 } } });
		nock(ORG)
			.get(`${API}/WhoAmI`)
			.replyWithError(Object.assign(new Error('socket reset'), { code: 'ECONNRESET' }))
			.get(`${API}/WhoAmI`)
			.reply(200, { UserId: USER });
		expect(await provider.testConnection()).toEqual({ ok: true, message: `Connected to Dynamics 365 as user ${USER}` });
		expect(sleeps).toEqual([50]);
	});

	it('401 ⇒ tokens.refresh() once, then the same request again with the new token', async () => {
		const { provider, refreshes } = makeProvider();
		nock(ORG)
			.get(`${API}/WhoAmI`)
			.matchHeader('authorization', `Bearer ${OLD_TOKEN}`)
			.reply(401, '', { 'WWW-Authenticate': 'Bearer error="invalid_token"' })
			.get(`${API}/WhoAmI`)
			.matchHeader('authorization', `Bearer ${NEW_TOKEN}`)
			.reply(200, { UserId: USER });
		expect(await provider.testConnection()).toEqual({ ok: true, message: `Connected to Dynamics 365 as user ${USER}` });
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
				{ error: { code: '0x80040220', message: `Token rejected: Bearer ${OLD_TOKEN} / ${NEW_TOKEN}` } },
			]);
		const error = await caught(provider.resolveOwners(['ann@contoso.com']));
		expect(refreshes()).toBe(1);
		expect(error.kind).toBe('unauthorized');
		const everything = [error.message, error.crmMessage, String(error.stack), JSON.stringify(error), JSON.stringify(error.body)].join('\n');
		expect(everything).toContain('Token rejected');
		expect(everything).not.toContain(OLD_TOKEN);
		expect(everything).not.toContain(NEW_TOKEN);

		const failed = await (async () => {
			nock(ORG).get(`${API}/WhoAmI`).times(2).reply(401, { error: { message: `bad token ${NEW_TOKEN}` } });
			return await provider.testConnection();
		})();
		expect(failed.ok).toBe(false);
		expect(failed.message).not.toContain(NEW_TOKEN);
		expect(failed.message).not.toContain(OLD_TOKEN);
	});
});
