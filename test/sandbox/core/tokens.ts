/**
 * Access and refresh tokens issued by the sandbox's token endpoints. Tokens are
 * random opaque strings; static keys (HubSpot `pat-…`, autoch.at `ak_…`) are accepted
 * through each vendor's `staticKey` rule and never expire. Client secrets (or whole client
 * ids) can be revoked: the token endpoints then refuse them, while access tokens issued
 * before keep working until they expire, as with the real vendors.
 */
import { randomBytes } from 'node:crypto';

import type { VendorName } from './types';

export type TokenCheck = 'ok' | 'expired' | 'unknown';

interface IssuedToken {
	vendor: VendorName;
	expiresAt: number;
}

export interface IssuedPair {
	accessToken: string;
	refreshToken: string;
	expiresIn: number;
}

export class TokenRegistry {
	private readonly access = new Map<string, IssuedToken>();
	private readonly refresh = new Map<string, VendorName>();
	private readonly staticKeyRules = new Map<VendorName, (token: string) => boolean>();
	/** `vendor client-id` → revoked secrets (`undefined` = the whole client id). */
	private readonly revoked = new Map<string, Set<string | undefined>>();

	constructor(
		private readonly ttlSeconds: number,
		private readonly now: () => number,
	) {}

	/** A vendor's rule for long-lived keys that need no token endpoint. */
	acceptStaticKeys(vendor: VendorName, rule: (token: string) => boolean): void {
		this.staticKeyRules.set(vendor, rule);
	}

	issue(vendor: VendorName, withRefresh = true): IssuedPair {
		const accessToken = `sbx-${vendor}-${randomBytes(18).toString('hex')}`;
		this.access.set(accessToken, { vendor, expiresAt: this.now() + this.ttlSeconds * 1000 });
		const refreshToken = withRefresh
			? `sbx-refresh-${vendor}-${randomBytes(18).toString('hex')}`
			: '';
		if (withRefresh) this.refresh.set(refreshToken, vendor);
		return { accessToken, refreshToken, expiresIn: this.ttlSeconds };
	}

	/** True when the refresh token was issued for this vendor (refresh tokens do not expire here). */
	isRefreshToken(vendor: VendorName, token: string): boolean {
		return this.refresh.get(token) === vendor;
	}

	check(vendor: VendorName, token: string): TokenCheck {
		const issued = this.access.get(token);
		if (issued && issued.vendor === vendor) return issued.expiresAt > this.now() ? 'ok' : 'expired';
		const rule = this.staticKeyRules.get(vendor);
		if (rule?.(token)) return 'ok';
		return 'unknown';
	}

	/** Milliseconds since the token expired (for HubSpot's "expired N second(s) ago" message). */
	expiredForMs(token: string): number {
		const issued = this.access.get(token);
		return issued ? Math.max(0, this.now() - issued.expiresAt) : 0;
	}

	/** Expires every current access token of the vendor now (the `expireTokens` fault). */
	expireAll(vendor: VendorName): number {
		let count = 0;
		const now = this.now();
		for (const issued of this.access.values()) {
			if (issued.vendor === vendor && issued.expiresAt > now) {
				issued.expiresAt = now;
				count += 1;
			}
		}
		return count;
	}

	/** From now on the token endpoints refuse this secret of the client (or any secret when none is given). */
	revokeClient(vendor: VendorName, clientId: string, clientSecret?: string): void {
		const key = `${vendor} ${clientId}`;
		const secrets = this.revoked.get(key) ?? new Set<string | undefined>();
		secrets.add(clientSecret);
		this.revoked.set(key, secrets);
	}

	isClientRevoked(vendor: VendorName, clientId: string, clientSecret: string | undefined): boolean {
		const secrets = this.revoked.get(`${vendor} ${clientId}`);
		return secrets !== undefined && (secrets.has(undefined) || secrets.has(clientSecret));
	}

	/** Accepts every revoked client again. */
	restoreClients(): void {
		this.revoked.clear();
	}

	clear(): void {
		this.access.clear();
		this.refresh.clear();
	}
}
