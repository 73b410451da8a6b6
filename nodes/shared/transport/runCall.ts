/**
 * The retry loop behind Transport.call: one attempt per limiter slot, each failure
 * classified, and a create never repeated blindly after an ambiguous failure.
 */
import type { CrmName } from '../model';
import { backoffDelay, classifyFailure, CLIENT_TIMEOUT_CODE } from './classify';
import { crmDisplayName } from '../providers/profiles';
import { CrmRequestError, type CrmFailureKind } from './errors';
import { headerValue } from './headers';
import type { CallLimiter } from './rateLimiter';
import { redactSecrets, sanitizeBody } from './redact';
import { parseRetryAfter } from './retryAfter';
import type {
	ApiUsage,
	CallContext,
	CallOptions,
	CredentialInUse,
	HttpFailure,
	RetryPolicy,
	TokenSource,
} from './types';

export interface CallEnvironment {
	crm: CrmName;
	limiter: CallLimiter;
	retry: RetryPolicy;
	toFailure: (error: unknown) => HttpFailure;
	tokens?: TokenSource;
	credential?: CredentialInUse;
	/** Secrets to scrub, read at the moment an error is built (includes tokens seen so far). */
	secrets: () => string[];
	/** Remember a token so it is scrubbed from every later message. */
	rememberSecret: (secret: string) => void;
	usage: ApiUsage;
	/** Stop before sending more than this many requests in this transport (API budget). */
	maxCalls?: number;
	sleep: (ms: number) => Promise<void>;
	now: () => number;
	random: () => number;
}

interface FailureDetails {
	kind: CrmFailureKind;
	/** Sentence after `<CRM> <label>: `. */
	summary: string;
	attempts: number;
	retryable: boolean;
	failure?: HttpFailure;
	retryAfterMs?: number;
	timedOut?: boolean;
}

function errorText(error: unknown): string {
	if (error instanceof Error) return error.message;
	return typeof error === 'string' ? error : 'unknown error';
}

function describe(failure: HttpFailure): string {
	if (failure.code === CLIENT_TIMEOUT_CODE) return failure.message;
	const where =
		failure.status !== undefined ? `HTTP ${failure.status}` : (failure.code ?? 'network error');
	return failure.message ? `${where}: ${failure.message}` : where;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Runs a step and reports its result or its error as a value, so the caller decides what to throw. */
async function settle<T>(step: () => Promise<T>): Promise<Settled<T>> {
	try {
		return { ok: true, value: await step() };
	} catch (error) {
		return { ok: false, error };
	}
}

/** An attempt that got no answer before its deadline, described as the failure it is. */
class DeadlineError extends Error {
	constructor(readonly failure: HttpFailure) {
		super(failure.message);
	}
}

/**
 * Runs one attempt with a deadline. The request is aborted through the signal where the client
 * supports it; either way its answer is no longer awaited, as for a client that gave up.
 */
async function withDeadline<T>(
	attempt: (signal: AbortSignal) => Promise<T>,
	timeoutMs: number,
): Promise<T> {
	const controller = new AbortController();
	// A platform timer signal rather than a raw timer: it never keeps the process alive, and the
	// listener is removed once the attempt settles.
	const expiry = AbortSignal.timeout(timeoutMs);
	let onExpiry = (): void => undefined;
	const deadline = new Promise<never>((_, reject) => {
		onExpiry = () => {
			const failure: HttpFailure = {
				code: CLIENT_TIMEOUT_CODE,
				message: `no answer within ${seconds(timeoutMs)}`,
				headers: {},
			};
			reject(new DeadlineError(failure));
			controller.abort(new DeadlineError(failure));
		};
		expiry.addEventListener('abort', onExpiry, { once: true });
	});
	const running = attempt(controller.signal);
	// A late rejection of an abandoned attempt must not become an unhandled rejection.
	running.catch(() => undefined);
	try {
		return await Promise.race([running, deadline]);
	} finally {
		expiry.removeEventListener('abort', onExpiry);
	}
}

function seconds(ms: number): string {
	return ms < 1000 ? `${ms} ms` : `${Math.ceil(ms / 1000)} s`;
}

function unauthorizedSummary(
	crmName: string,
	credential: CredentialInUse | undefined,
	afterRefresh: boolean,
	crmMessage: string,
): string {
	if (!credential) {
		return afterRefresh
			? `authentication failed (HTTP 401) again after refreshing the access token once; check the credential. ${crmMessage}`
			: `authentication failed (HTTP 401); check the credential. ${crmMessage}`;
	}
	const when = afterRefresh ? ' even after its access token was renewed' : '';
	const said = crmMessage ? ` (${crmMessage})` : '';
	return `${crmName} rejected the ${credential.label}${when} (HTTP 401)${said}. ${credential.whenRejected}`;
}

export async function runCall<T>(
	env: CallEnvironment,
	fn: (ctx: CallContext) => Promise<T>,
	options: CallOptions<T>,
): Promise<T> {
	const crmName = crmDisplayName(env.crm);

	const fail = (details: FailureDetails): CrmRequestError => {
		const secrets = env.secrets();
		const failure = details.failure;
		return new CrmRequestError({
			crm: env.crm,
			label: redactSecrets(options.label, secrets),
			kind: details.kind,
			message: redactSecrets(`${crmName} ${options.label}: ${details.summary}`, secrets),
			crmMessage: redactSecrets(failure?.message ?? details.summary, secrets),
			attempts: details.attempts,
			retryable: details.retryable,
			status: failure?.status,
			code: failure?.code === undefined ? undefined : redactSecrets(failure.code, secrets),
			body: failure?.body === undefined ? undefined : sanitizeBody(failure.body, secrets),
			retryAfterMs: details.retryAfterMs,
			timedOut: details.timedOut,
		});
	};

	const translate = (error: unknown): HttpFailure => {
		try {
			return env.toFailure(error);
		} catch {
			// A translator bug must not hide the original failure.
			return { message: errorText(error), headers: {} };
		}
	};

	const wait = async (ms: number): Promise<void> => {
		env.usage.waitedMs += ms;
		if (ms > 0) await env.sleep(ms);
	};

	let token: string | undefined;
	const tokenStep = async (step: 'obtain' | 'refresh', attempts: number): Promise<void> => {
		const tokens = env.tokens;
		if (!tokens) return;
		const result = await settle(() =>
			step === 'obtain' ? tokens.getAccessToken() : tokens.refresh(),
		);
		if (!result.ok) {
			throw fail({
				kind: 'token',
				summary: env.credential
					? `could not ${step} the access token of the ${env.credential.label} through n8n: ${errorText(result.error)}. ${env.credential.whenRejected}`
					: `could not ${step} the access token through n8n: ${errorText(result.error)}`,
				attempts,
				retryable: false,
				failure:
					step === 'refresh'
						? { status: 401, message: errorText(result.error), headers: {} }
						: undefined,
			});
		}
		token = result.value;
		if (token) env.rememberSecret(token);
	};

	await tokenStep('obtain', 0);
	let refreshed = false;

	for (let attempt = 0; ; attempt++) {
		if (env.maxCalls !== undefined && env.usage.calls >= env.maxCalls) {
			throw fail({
				kind: 'budget',
				summary: `stopped before sending: the API budget of ${env.maxCalls} calls for this run is used up`,
				attempts: attempt,
				retryable: true,
			});
		}
		const slot = await env.limiter.acquire();
		env.usage.waitedMs += slot.waitedMs;
		env.usage.calls++;
		const outcome = await settle(() =>
			withDeadline((signal) => fn({ attempt, token, signal }), env.retry.requestTimeoutMs),
		);
		slot.release();
		if (outcome.ok) return outcome.value;
		// Already final (e.g. a nested transport call): do not retry a retried call.
		if (outcome.error instanceof CrmRequestError) throw outcome.error;
		const failure =
			outcome.error instanceof DeadlineError ? outcome.error.failure : translate(outcome.error);

		const attempts = attempt + 1;
		const retriesLeft = attempt < env.retry.maxRetries;
		const giveUp = (): CrmRequestError =>
			fail({
				kind: 'gave-up',
				summary: `failed after ${attempts} attempts; last error ${describe(failure)}`,
				attempts,
				retryable: true,
				failure,
			});
		const backoff = (): number => backoffDelay(attempt, env.retry, env.random);
		const timedOut = classifyFailure(failure) === 'timed-out';
		const uncertain = (why: string): CrmRequestError =>
			fail({
				kind: 'ambiguous',
				timedOut,
				summary: `${describe(failure)}: the request may have reached ${crmName}, and ${why}. It was not sent again, to avoid a duplicate; it is checked again on the next delivery of the same data.`,
				attempts,
				retryable: false,
				failure,
			});

		switch (classifyFailure(failure)) {
			case 'daily-limit':
				throw fail({
					kind: 'rate-limited',
					summary: `the daily API limit of this HubSpot account is used up (HTTP 429, policy DAILY); it resets at midnight in the account's time zone. ${failure.message}`,
					attempts,
					retryable: true,
					failure,
				});

			case 'rate-limited': {
				const asked = parseRetryAfter(headerValue(failure.headers, 'retry-after'), env.now());
				if (asked !== undefined && asked > env.retry.maxRetryAfterMs) {
					throw fail({
						kind: 'rate-limited',
						summary: `rate limited (HTTP 429); ${crmName} asked to wait ${seconds(asked)}, longer than the ${seconds(env.retry.maxRetryAfterMs)} this node is allowed to wait. Try again later. ${failure.message}`,
						attempts,
						retryable: true,
						failure,
						retryAfterMs: asked,
					});
				}
				if (!retriesLeft) throw giveUp();
				const delay = asked ?? backoff();
				// Everyone using this credential holds off, not only this call.
				env.limiter.pause(env.now() + delay);
				env.usage.retries++;
				await wait(delay);
				continue;
			}

			// 502/503/refused: the CRM did not act on the request, so any call may be resent.
			case 'not-sent':
				if (!retriesLeft) throw giveUp();
				env.usage.retries++;
				await wait(backoff());
				continue;

			case 'unauthorized': {
				const credential = env.credential;
				// A pasted secret cannot be refreshed: the CRM rejected it, and only the user can replace it.
				if (!env.tokens || refreshed || credential?.isStatic) {
					throw fail({
						kind: 'unauthorized',
						summary: unauthorizedSummary(
							crmName,
							credential,
							env.tokens !== undefined && refreshed,
							failure.message,
						),
						attempts,
						retryable: false,
						failure,
					});
				}
				refreshed = true;
				await tokenStep('refresh', attempts);
				env.usage.retries++;
				continue;
			}

			// 500/504 or a dropped connection: the CRM answered or gave up, so a consistent
			// lookup tells whether it stored the request; only a proven "not done" is sent again.
			// A timeout differs: the CRM may still be working on it, so a create is never re-sent.
			case 'ambiguous':
			case 'timed-out': {
				if (!options.idempotent) {
					if (!options.verify)
						throw uncertain('there is no way to check whether it was carried out');
					const check = await settle(options.verify);
					if (!check.ok)
						throw uncertain(
							`checking whether it was carried out failed too (${errorText(check.error)})`,
						);
					if (check.value.status === 'done') return check.value.value;
					if (check.value.status === 'unknown')
						throw uncertain(
							`${crmName} cannot tell yet whether it was carried out (${check.value.reason})`,
						);
					if (timedOut)
						throw uncertain(
							`it was not found afterwards, but ${crmName} may still be carrying it out`,
						);
				}
				if (!retriesLeft) throw giveUp();
				env.usage.retries++;
				await wait(backoff());
				continue;
			}

			case 'fatal':
				throw fail({
					kind: failure.status !== undefined && failure.status < 500 ? 'rejected' : 'unexpected',
					summary:
						failure.status !== undefined
							? `rejected (${describe(failure)})`
							: `failed (${describe(failure)})`,
					attempts,
					retryable: false,
					failure,
				});
		}
	}
}
