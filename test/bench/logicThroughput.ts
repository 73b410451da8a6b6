/**
 * Throughput of the pure decisions a run makes per item, without I/O: the Qualification
 * Gate's rules, note routing and Field Merge planning. Each runs over the same varied inputs
 * many times; the figure is items per second of one core (budget: ≥ 50,000 / s each).
 */
import { planRecord, type FieldUpdate } from '../../nodes/CrmContactFieldMerge/logic/merge';
import type { FieldSpec } from '../../nodes/CrmContactFieldMerge/logic/fieldValues';
import {
	qualify,
	type Criterion,
	type QualificationEvidence,
} from '../../nodes/CrmQualificationGate/logic/qualification';
import { routeTargets } from '../../nodes/shared/logic/routing';
import { emptyMatchSet, type CrmRef, type MatchSet } from '../../nodes/shared/model';

export interface ThroughputRow {
	scenario: string;
	crm: string;
	records: number;
	apiCalls: number;
	physicalMinimum: number;
	perItemPattern: number;
	wallMs: number;
	itemsPerSecond: number;
	note: string;
}

const BUDGET = 50_000;

const CRITERIA: Criterion[] = [
	{ kind: 'messageCount', enabled: true, priority: 40, minimum: 3 },
	{
		kind: 'keywords',
		enabled: true,
		priority: 30,
		keywords: ['pricing', 'price', 'quote', 'demo', 'buy'],
		mode: 'any',
	},
	{ kind: 'contactFields', enabled: true, priority: 20, fields: ['phone'] },
	{ kind: 'score', enabled: false, priority: 10, minimum: 50 },
];

function evidence(i: number): QualificationEvidence {
	const words = ['hello there', 'what is your pricing for fleets', 'can we book a demo', 'bye'];
	return {
		text: Array.from({ length: 1 + (i % 6) }, (_, k) => words[(i + k) % words.length]).join('. '),
		messageCount: i % 7,
		ended: i % 3 !== 0,
		contact: i % 4 === 0 ? {} : { phone: `+1415555${String(i % 10_000).padStart(4, '0')}` },
	};
}

function matchSet(i: number): MatchSet {
	const ref = (kind: CrmRef['kind'], n: number): CrmRef => ({
		crm: 'hubspot',
		kind,
		objectType: `${kind}s`,
		id: `${kind}-${i}-${n}`,
		matchedBy: 'phone',
	});
	const set = emptyMatchSet();
	set.contact = Array.from({ length: i % 3 }, (_, n) => ref('contact', n));
	set.company = i % 2 === 0 ? [ref('company', 0)] : [];
	set.deal = Array.from({ length: i % 4 }, (_, n) => ref('deal', n));
	return set;
}

const FIELDS = new Map<string, FieldSpec>([
	['firstname', { name: 'firstname', type: 'string' }],
	['jobtitle', { name: 'jobtitle', type: 'string' }],
	['last_call_summary', { name: 'last_call_summary', type: 'string' }],
	['annual_budget', { name: 'annual_budget', type: 'number' }],
	['decision_maker', { name: 'decision_maker', type: 'boolean' }],
	[
		'hs_lead_status',
		{
			name: 'hs_lead_status',
			type: 'enum',
			options: ['NEW', 'OPEN', 'IN_PROGRESS', 'UNQUALIFIED'].map((value) => ({
				value,
				label: value,
			})),
		},
	],
]);

function updates(i: number): FieldUpdate[] {
	return [
		{ field: 'firstname', value: `Name ${i % 50}`, mode: 'fillIfEmpty' },
		{ field: 'jobtitle', value: i % 5 === 0 ? '' : 'Fleet manager', mode: 'overwrite' },
		{ field: 'last_call_summary', value: `Call ${i % 20}: asked for a quote`, mode: 'merge' },
		{ field: 'annual_budget', value: String(1000 + (i % 90) * 100), mode: 'overwrite' },
		{ field: 'decision_maker', value: i % 2 === 0 ? 'yes' : 'no', mode: 'overwrite' },
		{ field: 'hs_lead_status', value: 'IN_PROGRESS', mode: 'overwrite' },
	];
}

function current(i: number): Record<string, unknown> | undefined {
	if (i % 10 === 0) return undefined; // a record about to be created
	return {
		firstname: i % 3 === 0 ? '' : 'Existing',
		jobtitle: 'Driver',
		last_call_summary: `2026-11-01: Call ${i % 20}: asked for a quote`,
		annual_budget: '1000',
		decision_maker: 'false',
		hs_lead_status: 'NEW',
	};
}

/** Runs `decide` over `items` inputs (prepared beforehand), after a warm-up, and times it. */
function measure<T>(
	scenario: string,
	items: number,
	prepare: (i: number) => T,
	decide: (input: T) => unknown,
): ThroughputRow {
	const inputs = Array.from({ length: 1000 }, (_, i) => prepare(i));
	let sink = 0;
	for (let i = 0; i < 20_000; i++) sink += decide(inputs[i % inputs.length]) === undefined ? 0 : 1;
	const start = performance.now();
	for (let i = 0; i < items; i++) sink += decide(inputs[i % inputs.length]) === undefined ? 0 : 1;
	const wallMs = performance.now() - start;
	const itemsPerSecond = Math.round(items / (wallMs / 1000));
	return {
		scenario,
		crm: '-',
		records: items,
		apiCalls: 0,
		physicalMinimum: 0,
		perItemPattern: 0,
		wallMs: Math.round(wallMs),
		itemsPerSecond,
		note: `${itemsPerSecond.toLocaleString('en-US')} items/s (budget ${BUDGET.toLocaleString('en-US')}) ${itemsPerSecond >= BUDGET ? 'OK' : 'BELOW BUDGET'}; ${sink === items + 20_000 ? 'every item decided' : 'some items undecided'}`,
	};
}

export function logicThroughput(items: number): ThroughputRow[] {
	return [
		measure('pure logic: Qualification Gate rules', items, evidence, (input) =>
			qualify(CRITERIA, input),
		),
		measure('pure logic: note routing', items, matchSet, (matches) =>
			routeTargets(matches, {
				targetKinds: ['deal', 'contact', 'company'],
				mode: 'oneType',
				priority: ['deal', 'company', 'contact'],
				singleTarget: false,
			}),
		),
		measure(
			'pure logic: Field Merge planning (6 fields)',
			items,
			(i) => ({ updates: updates(i), current: current(i) }),
			(input) =>
				planRecord(
					{
						updates: input.updates,
						fields: FIELDS,
						current: input.current,
						objectLabel: 'contact',
					},
					{ today: '2026-12-07', zone: 'UTC' },
				),
		),
	];
}
