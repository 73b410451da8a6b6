import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { createTransport } from '../../../nodes/shared/transport/createTransport';
import { clearSharedRateLimiters } from '../../../nodes/shared/transport/rateLimiter';
import { manualClock, settle } from './support/clock';
import { crmFetch, toFailure } from './support/http';

const HUBSPOT = 'https://api.hubapi.com';

beforeAll(() => {
	nock.disableNetConnect();
	nock.enableNetConnect('127.0.0.1');
});
afterEach(() => {
	nock.cleanAll();
	clearSharedRateLimiters();
});
afterAll(() => nock.enableNetConnect());

/** Polls for I/O to happen (local sockets, nock); the fake clock is untouched. */
async function until(condition: () => boolean, what: string): Promise<void> {
	const deadline = Date.now() + 5000;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await settle(1);
		await new Promise<void>((resolve) => setTimeout(resolve, 1));
	}
}

describe('rate limits shared by a credential', () => {
	it('after a 429 on one transport, another transport with the same limiterKey waits too', async () => {
		const clock = manualClock();
		const sentAt: Record<string, number[]> = { a: [], b: [], other: [] };
		nock(HUBSPOT)
			.get('/a')
			.reply(() => {
				sentAt.a.push(clock.now());
				return [429, { policyName: 'TEN_SECONDLY_ROLLING' }, { 'Retry-After': '5' }];
			})
			.get('/a')
			.reply(() => {
				sentAt.a.push(clock.now());
				return [200, {}];
			})
			.get('/b')
			.reply(() => {
				sentAt.b.push(clock.now());
				return [200, {}];
			})
			.get('/other')
			.reply(() => {
				sentAt.other.push(clock.now());
				return [200, {}];
			});
		const options = { crm: 'hubspot' as const, toFailure, now: clock.now, sleep: clock.sleep };
		const first = createTransport({ ...options, limiterKey: 'hubspotOAuth2Api:portal-1' });
		const second = createTransport({ ...options, limiterKey: 'hubspotOAuth2Api:portal-1' });
		const otherAccount = createTransport({ ...options, limiterKey: 'hubspotOAuth2Api:portal-2' });

		const a = first.call(() => crmFetch(`${HUBSPOT}/a`), { label: 'GET a', idempotent: true });
		await until(() => sentAt.a.length === 1 && clock.pendingSleeps() > 0, 'the 429 to be handled');
		const b = second.call(() => crmFetch(`${HUBSPOT}/b`), { label: 'GET b', idempotent: true });
		const other = otherAccount.call(() => crmFetch(`${HUBSPOT}/other`), {
			label: 'GET other',
			idempotent: true,
		});
		await other;
		await settle();
		expect(sentAt.other).toEqual([clock.now()]); // a different account is not held up
		expect(sentAt.b).toEqual([]);

		await clock.advance(4_999);
		expect(sentAt.b).toEqual([]);
		await clock.advance(1);
		await Promise.all([a, b]);
		const start = sentAt.a[0];
		expect(sentAt.b).toEqual([start + 5000]);
		expect(sentAt.a).toEqual([start, start + 5000]);
		expect(second.usage().waitedMs).toBe(5000);
	});

	it('keeps at most `concurrency` requests of one credential in flight', async () => {
		const held: Array<() => void> = [];
		let inFlight = 0;
		let maxInFlight = 0;
		const server = http.createServer((req, res) => {
			inFlight++;
			maxInFlight = Math.max(maxInFlight, inFlight);
			req.resume();
			held.push(() => {
				inFlight--;
				res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/clients`;
		try {
			const clock = manualClock();
			const transport = createTransport({
				crm: 'autochat',
				limiterKey: 'autochatApi:conc',
				toFailure,
				now: clock.now,
				sleep: clock.sleep,
			});
			let done = 0;
			const calls = Array.from({ length: 8 }, () =>
				transport
					.call(() => crmFetch(url), { label: 'GET clients', idempotent: true })
					.then(() => {
						done++;
					}),
			);
			// autoch.at default: 5 at once.
			await until(() => held.length === 5, 'five requests at the server');
			await settle(50);
			expect(held).toHaveLength(5);
			while (done < 8) {
				await until(() => held.length > 0, 'a request at the server');
				const finished = done;
				held.shift()!();
				await until(() => done > finished, 'the released request to finish');
			}
			await Promise.all(calls);
			expect(maxInFlight).toBe(5);
			expect(transport.usage().calls).toBe(8);
		} finally {
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	});
});
