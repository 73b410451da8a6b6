import fc from 'fast-check';
import { domainToASCII } from 'node:url';
import {
	companyDomainFromEmail,
	emailDomain,
	isFreeMailDomain,
	normalizeEmail,
	sameEmail,
} from '../../nodes/shared/logic/email';
import type { EmailResult } from '../../nodes/shared/logic/email';

function reasonOf(result: EmailResult): string {
	if (result.ok) throw new Error(`expected a failure, got ${result.email}`);
	return result.reason;
}

describe('normalizeEmail', () => {
	test.each([
		['jane@acme.com', 'jane@acme.com'],
		['  Jane.Doe@ACME.Com  ', 'jane.doe@acme.com'],
		['Jane Doe <Jane@Acme.com>', 'jane@acme.com'],
		['"Doe, Jane" <jane@acme.com>', 'jane@acme.com'],
		['<jane@acme.com>', 'jane@acme.com'],
		['mailto:jane@acme.com?subject=Hi', 'jane@acme.com'],
		['MAILTO:jane%2Bcrm@acme.com', 'jane+crm@acme.com'],
		['jane+crm@acme.com', 'jane+crm@acme.com'],
		["o'brien@acme.ie", "o'brien@acme.ie"],
		['jane@bücher.de', 'jane@xn--bcher-kva.de'],
		['jane@acme.com.', 'jane@acme.com'],
		['josé@acme.es', 'josé@acme.es'],
	])('%j → %j', (input, expected) => {
		expect(normalizeEmail(input)).toMatchObject({ ok: true, email: expected });
	});

	test('international domains get the same ASCII form as node:url (the pack may not import it)', () => {
		const label = fc.stringMatching(/^[a-zäöüßçéñøåłžæœ\u4e00-\u4e0f\u0430-\u044f0-9-]{1,12}$/);
		fc.assert(
			fc.property(
				fc.array(label, { minLength: 1, maxLength: 3 }),
				fc.constantFrom('de', 'com', 'рф', 'xn--p1ai'),
				(labels, top) => {
					const domain = [...labels, top].join('.');
					const result = normalizeEmail(`jane@${domain}`);
					const expected = domainToASCII(domain.toLowerCase());
					if (result.ok) expect(result.domain).toBe(expected);
					// Refused domains are ones node:url refuses too, or ones the DNS label rules refuse.
					else
						expect(
							expected === '' ||
								!expected.split('.').every((part) => /^(?!-)[a-z0-9-]{1,63}(?<!-)$/.test(part)),
						).toBe(true);
				},
			),
			{ numRuns: 300 },
		);
		expect(normalizeEmail('jane@bü/cher.de').ok).toBe(false);
		expect(normalizeEmail('jane@bücher.de:80').ok).toBe(false);
	});

	test('splits local part and domain', () => {
		expect(normalizeEmail('Jane@Sub.Acme.co.uk')).toEqual({
			ok: true,
			email: 'jane@sub.acme.co.uk',
			local: 'jane',
			domain: 'sub.acme.co.uk',
		});
	});

	test.each([
		['', /empty/],
		['   ', /empty/],
		['jane', /no @/],
		['@acme.com', /before the @/],
		['jane@', /not a domain/],
		['jane@localhost', /not a domain/],
		['jane@acme..com', /not a domain/],
		['jane@-acme.com', /not a domain/],
		['jane@192.168.0.1', /not a domain/],
		['jane doe@acme.com', /spaces/],
		['jane..doe@acme.com', /characters/],
		['.jane@acme.com', /characters/],
		['jane@acme.com>', /characters|not a domain/],
		["jane'; DROP TABLE--@acme.com", /spaces/],
		[`${'a'.repeat(65)}@acme.com`, /too long/],
		['jane@ac_me.com', /not a domain/],
	])('refuses %j', (input, reason) => {
		expect(reasonOf(normalizeEmail(input))).toMatch(reason);
	});

	test('the reason quotes a long input only in part', () => {
		const reason = reasonOf(normalizeEmail(`${'x'.repeat(300)}`));
		expect(reason.length).toBeLessThan(140);
		expect(reason).toContain('…');
	});

	test('property: idempotent on its own output', () => {
		const local = fc
			.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,20}[A-Za-z0-9]$/)
			.filter((text) => !text.includes('..'));
		const domain = fc.stringMatching(
			/^[A-Za-z0-9]{1,10}(\.[A-Za-z0-9]{1,10}){0,2}\.[A-Za-z]{2,6}$/,
		);
		fc.assert(
			fc.property(local, domain, (user, host) => {
				const first = normalizeEmail(`${user}@${host}`);
				if (!first.ok) throw new Error(first.reason);
				expect(first.email).toBe(`${user}@${host}`.toLowerCase());
				expect(normalizeEmail(first.email)).toEqual(first);
				expect(normalizeEmail(`Someone <${first.email.toUpperCase()}>`)).toEqual(first);
			}),
			{ numRuns: 300 },
		);
	});

	test('property: never throws', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 60 }), (text) => {
				const result = normalizeEmail(text);
				return result.ok ? result.email.includes('@') : result.reason.length > 0;
			}),
			{ numRuns: 300 },
		);
	});
});

describe('emailDomain / sameEmail', () => {
	test('domain of a usable address, undefined otherwise', () => {
		expect(emailDomain('Jane <jane@Acme.COM>')).toBe('acme.com');
		expect(emailDomain('not an address')).toBeUndefined();
	});

	test('sameEmail compares normalised addresses', () => {
		expect(sameEmail('Jane@ACME.com', 'mailto:jane@acme.com')).toBe(true);
		expect(sameEmail('jane+crm@acme.com', 'jane@acme.com')).toBe(false);
		expect(sameEmail('broken', 'broken')).toBe(false);
	});
});

describe('free-mail domains never identify a company', () => {
	test.each([
		'gmail.com',
		'googlemail.com',
		'GMAIL.COM',
		'yahoo.com',
		'yahoo.co.uk',
		'yahoo.fr',
		'hotmail.de',
		'outlook.com',
		'live.co.uk',
		'icloud.com',
		'proton.me',
		'gmx.net',
		'gmx.at',
		'web.de',
		't-online.de',
		'orange.fr',
		'free.fr',
		'mail.ru',
		'yandex.ru',
		'qq.com',
		'mail.yahoo.com',
		'jane@gmail.com',
	])('%s is free mail', (domain) => {
		expect(isFreeMailDomain(domain)).toBe(true);
	});

	test.each([
		'acme.com',
		'acme.co.uk',
		'gmail-partners.com',
		'mygmail.com',
		'outlook.acme.com',
		'yahoo.acme.io',
		'jane@acme.com',
		'not a domain',
	])('%s is not free mail', (domain) => {
		expect(isFreeMailDomain(domain)).toBe(false);
	});

	test('companyDomainFromEmail returns the business domain only', () => {
		expect(companyDomainFromEmail('Jane Doe <jane@Acme.com>')).toBe('acme.com');
		expect(companyDomainFromEmail('jane@gmail.com')).toBeUndefined();
		expect(companyDomainFromEmail('jane@hotmail.co.uk')).toBeUndefined();
		expect(companyDomainFromEmail('nonsense')).toBeUndefined();
	});
});
