/**
 * Which target record a source record is: the stored cross-reference first, then — for
 * people — the email over leads and contacts at once (a contact wins over a lead, so one
 * person never gets a second record of the other kind), then — for companies — the
 * website domain; otherwise a new record of the default kind, when creating is allowed and
 * the record is eligible.
 *
 * Pure: no I/O — the node gathers the facts (one provider call per step for the batch).
 */
import type { ObjectKind } from '../../shared/model';

export type IdentityStep = 'link' | 'email' | 'domain';
export type CreateMode = 'never' | 'always' | 'ifEligible';

/** The lookup steps for a target kind, in order. */
export function identitySteps(kind: ObjectKind): IdentityStep[] {
	if (kind === 'contact' || kind === 'lead') return ['link', 'email'];
	if (kind === 'company') return ['link', 'domain'];
	return ['link'];
}

export interface IdentityFacts {
	/** The counterpart the link store (or this process's memory) holds, and whether it still exists. */
	linked?: { kind: ObjectKind; id: string; exists: boolean };
	/** Target records with the source's email, newest first, per person kind. */
	byEmail?: Partial<Record<ObjectKind, string[]>>;
	/** Target companies with the source's domain, newest first. */
	byDomain?: string[];
}

export interface IdentityPolicy {
	/** The target's object for this kind of record (contact, company, deal). */
	kind: ObjectKind;
	/** Where the target has leads: the kind new people are created as. */
	newPersonKind: ObjectKind;
	create: CreateMode;
	/** Why the record may not be created when the mode is "if eligible"; undefined = eligible. */
	ineligibleReason?: string;
}

export type IdentityDecision =
	| { action: 'update'; kind: ObjectKind; id: string; by: IdentityStep }
	| { action: 'create'; kind: ObjectKind }
	| { action: 'skip'; reason: string };

const PERSON_PREFERENCE: ObjectKind[] = ['contact', 'lead'];

export function resolveIdentity(facts: IdentityFacts, policy: IdentityPolicy): IdentityDecision {
	if (facts.linked?.exists)
		return { action: 'update', kind: facts.linked.kind, id: facts.linked.id, by: 'link' };
	const steps = identitySteps(policy.kind);
	if (steps.includes('email'))
		for (const kind of PERSON_PREFERENCE) {
			const id = facts.byEmail?.[kind]?.[0];
			if (id) return { action: 'update', kind, id, by: 'email' };
		}
	if (steps.includes('domain')) {
		const id = facts.byDomain?.[0];
		if (id) return { action: 'update', kind: policy.kind, id, by: 'domain' };
	}
	if (policy.create === 'never')
		return { action: 'skip', reason: 'no counterpart found and creating records is off' };
	if (policy.create === 'ifEligible' && policy.ineligibleReason)
		return { action: 'skip', reason: `not eligible to create: ${policy.ineligibleReason}` };
	const person = policy.kind === 'contact' || policy.kind === 'lead';
	return { action: 'create', kind: person ? policy.newPersonKind : policy.kind };
}

/** The visible eligibility rule: people need an email, companies and deals a name. */
export function ineligibleReason(
	kind: ObjectKind,
	facts: { email?: string; name?: string },
): string | undefined {
	if (kind === 'contact' || kind === 'lead')
		return facts.email ? undefined : 'a person needs an email address';
	return facts.name ? undefined : `a ${kind} needs a name`;
}

/** The host a website field names, lower-case without `www.` (`https://www.Acme.com/about` → `acme.com`). */
export function domainOfWebsite(website: string): string | undefined {
	const text = website.trim().toLowerCase();
	if (text === '') return undefined;
	const withoutScheme = text.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
	const host = withoutScheme.split(/[/?#]/)[0].split('@').pop()?.split(':')[0] ?? '';
	const domain = host.replace(/^www\./, '').replace(/\.$/, '');
	return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain) ? domain : undefined;
}
