/**
 * Vendor-neutral demo data with deterministic keys. Each vendor module maps it onto
 * its own objects and id formats (HubSpot numeric ids, autoch.at UUIDs; Salesforce and
 * Dynamics modules reuse the same data).
 */
export interface DemoCompany {
	key: string;
	name: string;
	domain: string;
	phone: string;
	city: string;
	industry: string;
}

export interface DemoContact {
	key: string;
	firstName: string;
	lastName: string;
	email: string;
	/** As typed by a user: mixed formats on purpose. */
	phone?: string;
	mobilePhone?: string;
	jobTitle: string;
	companyKey: string;
	/** Owner key of the account manager. */
	ownerKey: string;
	/** When the CRM last saw an activity with this person (the CRMs' own "last activity" field). */
	lastActivityAt?: string;
}

export interface DemoDeal {
	key: string;
	name: string;
	amount: number;
	/** Neutral stage: open stages vs closed won/lost. */
	stage: 'qualification' | 'proposal' | 'closed_won' | 'closed_lost';
	closeDate: string;
	companyKey: string;
	contactKeys: string[];
	ownerKey: string;
}

export interface DemoLead {
	key: string;
	firstName: string;
	lastName: string;
	email: string;
	phone: string;
	company: string;
	status: 'new' | 'working' | 'qualified';
}

export interface DemoOwner {
	key: string;
	firstName: string;
	lastName: string;
	email: string;
}

export const DEMO_OWNERS: readonly DemoOwner[] = [
	{ key: 'owner-ava', firstName: 'Ava', lastName: 'Stone', email: 'ava.stone@sales.example' },
	{ key: 'owner-ben', firstName: 'Ben', lastName: 'Okafor', email: 'ben.okafor@sales.example' },
	{
		key: 'owner-chloe',
		firstName: 'Chloe',
		lastName: 'Martin',
		email: 'chloe.martin@sales.example',
	},
	{ key: 'owner-dev', firstName: 'Dev', lastName: 'Patel', email: 'dev.patel@sales.example' },
];

export const DEMO_COMPANIES: readonly DemoCompany[] = [
	{
		key: 'acme',
		name: 'Acme Corporation',
		domain: 'acme.example',
		phone: '+1 415 555 0100',
		city: 'San Francisco',
		industry: 'Manufacturing',
	},
	{
		key: 'globex',
		name: 'Globex Ltd',
		domain: 'globex.example',
		phone: '+44 20 7946 0000',
		city: 'London',
		industry: 'Energy',
	},
	{
		key: 'initech',
		name: 'Initech',
		domain: 'initech.example',
		phone: '(212) 555-0100',
		city: 'New York',
		industry: 'Software',
	},
];

export const DEMO_CONTACTS: readonly DemoContact[] = [
	{
		key: 'alice',
		firstName: 'Alice',
		lastName: 'Nguyen',
		email: 'alice.nguyen@acme.example',
		phone: '+1 (415) 555-0101',
		jobTitle: 'VP Operations',
		companyKey: 'acme',
		ownerKey: 'owner-ava',
		lastActivityAt: '2026-11-18T16:20:00.000Z',
	},
	{
		key: 'bob',
		firstName: 'Bob',
		lastName: 'Ramirez',
		email: 'bob.ramirez@acme.example',
		phone: '415.555.0102',
		mobilePhone: '+1 415 555 0112',
		jobTitle: 'Procurement Lead',
		companyKey: 'acme',
		ownerKey: 'owner-ava',
	},
	{
		key: 'carol',
		firstName: 'Carol',
		lastName: 'Hughes',
		email: 'carol.hughes@globex.example',
		phone: '+44 20 7946 0958',
		jobTitle: 'Head of IT',
		companyKey: 'globex',
		ownerKey: 'owner-ben',
	},
	{
		key: 'dan',
		firstName: 'Dan',
		lastName: "O'Brien",
		email: 'dan.obrien@initech.example',
		phone: '(212) 555-0199 x12',
		jobTitle: 'CTO',
		companyKey: 'initech',
		ownerKey: 'owner-chloe',
	},
	{
		key: 'erin',
		firstName: 'Erin',
		lastName: 'Schulz',
		email: 'erin.schulz@globex.example',
		mobilePhone: '07700 900123',
		phone: '+44 7700 900123',
		jobTitle: 'Buyer',
		companyKey: 'globex',
		ownerKey: 'owner-ben',
	},
	{
		key: 'frank',
		firstName: 'Frank',
		lastName: 'Li',
		email: 'frank.li@initech.example',
		jobTitle: 'Analyst',
		companyKey: 'initech',
		ownerKey: 'owner-dev',
	},
];

export const DEMO_DEALS: readonly DemoDeal[] = [
	{
		key: 'acme-expansion',
		name: 'Acme – Fleet expansion',
		amount: 48000,
		stage: 'proposal',
		closeDate: '2026-12-15',
		companyKey: 'acme',
		contactKeys: ['alice', 'bob'],
		ownerKey: 'owner-ava',
	},
	{
		key: 'acme-renewal',
		name: 'Acme – Support renewal',
		amount: 12000,
		stage: 'qualification',
		closeDate: '2027-01-31',
		companyKey: 'acme',
		contactKeys: ['alice'],
		ownerKey: 'owner-ava',
	},
	{
		key: 'acme-pilot',
		name: 'Acme – Pilot',
		amount: 5000,
		stage: 'closed_won',
		closeDate: '2026-06-30',
		companyKey: 'acme',
		contactKeys: ['bob'],
		ownerKey: 'owner-ava',
	},
];

export const DEMO_LEADS: readonly DemoLead[] = [
	{
		key: 'grace',
		firstName: 'Grace',
		lastName: 'Kim',
		email: 'grace.kim@umbrella.example',
		phone: '+1 646 555 0142',
		company: 'Umbrella Labs',
		status: 'new',
	},
	{
		key: 'hank',
		firstName: 'Hank',
		lastName: 'Meyer',
		email: 'hank.meyer@hooli.example',
		phone: '030 901820',
		company: 'Hooli GmbH',
		status: 'working',
	},
];

/** Fixed creation time of seeded records, so seeded timestamps are deterministic. */
export const DEMO_CREATED_AT = '2026-01-05T09:00:00.000Z';
