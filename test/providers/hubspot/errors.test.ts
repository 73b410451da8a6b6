import { hubSpotToFailure } from '../../../nodes/shared/providers/hubspot/errors';

describe('hubSpotToFailure', () => {
	it('keeps status, lower-cased headers, HubSpot’s message with its details and the policy name of a 429', () => {
		const thrown = Object.assign(
			new Error('HTTP-Code: 429 ... Headers: {"authorization":"never read"}'),
			{
				code: 429,
				body: {
					status: 'error',
					message: 'You have reached your secondly limit.',
					policyName: 'TEN_SECONDLY_ROLLING',
					errors: [{ message: 'slow down' }],
				},
				headers: { 'Retry-After': '1', 'X-HubSpot-RateLimit-Remaining': '0' },
			},
		);

		expect(hubSpotToFailure(thrown)).toEqual({
			status: 429,
			code: 'TEN_SECONDLY_ROLLING',
			message: 'You have reached your secondly limit. (slow down)',
			headers: { 'retry-after': '1', 'x-hubspot-ratelimit-remaining': '0' },
			body: thrown.body,
		});
	});

	it('flags a 429 of the DAILY policy as the daily limit, which waiting will not lift', () => {
		const daily = {
			code: 429,
			body: JSON.stringify({
				status: 'error',
				message: 'You have reached your daily limit.',
				policyName: 'DAILY',
			}),
			headers: {},
		};
		const secondly = {
			code: 429,
			body: { status: 'error', message: 'slow down', policyName: 'TEN_SECONDLY_ROLLING' },
			headers: {},
		};

		expect(hubSpotToFailure(daily)).toMatchObject({ status: 429, code: 'DAILY', dailyLimit: true });
		expect(hubSpotToFailure(secondly).dailyLimit).toBeUndefined();
	});

	it('reads the socket error code that undici’s fetch puts in `cause`', () => {
		const reset = new TypeError('fetch failed', {
			cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
		});
		expect(hubSpotToFailure(reset)).toEqual({
			code: 'ECONNRESET',
			message: 'fetch failed (ECONNRESET)',
			headers: {},
		});
	});

	it('falls back to a status sentence when the body has no message', () => {
		const thrown = { code: 502, body: '<html>Bad gateway</html>'.repeat(40), headers: {} };
		expect(hubSpotToFailure(thrown).message).toBe('HubSpot responded with HTTP 502');
	});
});
