/**
 * Network isolation shared by the nock-based credential and provider tests, kept in one
 * place so every suite enforces the same rule.
 */
import nock from 'nock';

/**
 * Registers jest hooks for the calling file (or describe block): only 127.0.0.1 may be
 * reached, and every test must consume all of its nock interceptors — a leftover one means
 * the code under test skipped a request the test expected.
 */
export function isolateNetwork(): void {
	beforeAll(() => {
		nock.disableNetConnect();
		nock.enableNetConnect('127.0.0.1');
	});
	afterEach(() => {
		// Read before cleanAll so a failing test cannot leak interceptors into the next one.
		const pending = nock.pendingMocks();
		nock.cleanAll();
		expect(pending).toEqual([]);
	});
	afterAll(() => {
		nock.enableNetConnect();
	});
}
