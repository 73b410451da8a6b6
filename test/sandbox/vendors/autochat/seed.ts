/** Demo clients for autoch.at CRM (contacts and leads of the neutral demo data), with fixed UUIDs. */
import type { VendorContext } from '../../core/types';
import { DEMO_COMPANIES, DEMO_CONTACTS, DEMO_CREATED_AT, DEMO_LEADS } from '../../seed/demoData';

const seededId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Seeded client ids by demo key. */
export const AUTOCHAT_SEED_IDS: Record<string, string> = Object.fromEntries(
	[...DEMO_CONTACTS.map((c) => c.key), ...DEMO_LEADS.map((l) => l.key)].map((key, i) => [
		key,
		seededId(i + 1),
	]),
);

export function seedAutochat(ctx: VendorContext): void {
	for (const c of DEMO_CONTACTS) {
		const company = DEMO_COMPANIES.find((co) => co.key === c.companyKey)!;
		ctx.store.insert(
			'autochat',
			'clients',
			AUTOCHAT_SEED_IDS[c.key],
			{
				name: `${c.firstName} ${c.lastName}`,
				first_name: c.firstName,
				last_name: c.lastName,
				email: c.email,
				phone: c.phone ?? c.mobilePhone ?? null,
				company: company.name,
				city: company.city,
				status: 'customer',
				tags: [],
			},
			DEMO_CREATED_AT,
		);
	}
	for (const l of DEMO_LEADS) {
		ctx.store.insert(
			'autochat',
			'clients',
			AUTOCHAT_SEED_IDS[l.key],
			{
				name: `${l.firstName} ${l.lastName}`,
				first_name: l.firstName,
				last_name: l.lastName,
				email: l.email,
				phone: l.phone,
				company: l.company,
				status: 'lead',
				tags: ['inbound'],
			},
			DEMO_CREATED_AT,
		);
	}
}

/** New ids after the seeded ones, still UUID-shaped. */
export function newAutochatId(sequence: number): string {
	return `a0000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`;
}
