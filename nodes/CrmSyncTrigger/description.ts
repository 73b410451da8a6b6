import type { INodeProperties } from 'n8n-workflow';

import { authenticationParameters, crmParameter } from '../shared/descriptions/crmSelector';
import { defaultCountryParameter } from '../shared/descriptions/defaultCountry';
import { CRM_NAMES, type CrmName } from '../shared/model';
import { crmsWhere, profileOf } from '../shared/providers/profiles';
import { attributeProperties } from './attributeDescription';
import { kindParameters, objectOptions } from './objectKinds';
import { TIMELINE_OBJECT, timelineTypeOptions } from './timelinePoll';

export const SYNC_TRIGGER_CRMS: CrmName[] = [...CRM_NAMES];

/** CRMs whose profile names timeline activities the trigger can list. */
export const TIMELINE_CRMS: CrmName[] = crmsWhere((profile) => profile.timeline !== undefined);

function timelineOption(crm: CrmName): Array<{ name: string; value: string; description: string }> {
	const timeline = profileOf(crm).timeline;
	return timeline
		? [
				{
					name: 'Timeline Activities',
					value: TIMELINE_OBJECT,
					description: `Logged activities (not records), each as a neutral "activity" for CRM Timeline Sync. ${timeline.description}.`,
				},
			]
		: [];
}

/** Which activity objects a timeline poll lists (shown with "Timeline Activities"). */
function timelineParameters(): INodeProperties[] {
	const byAssociations = TIMELINE_CRMS.filter(
		(crm) => profileOf(crm).timeline?.links.by === 'associations',
	);
	const records: INodeProperties = {
		displayName: 'Include Companies and Deals',
		name: 'timelineRecords',
		type: 'boolean',
		default: false,
		description:
			'Whether each activity also carries the IDs of its companies and deals (two more association reads per page); its contacts always come with it',
		displayOptions: { show: { crm: byAssociations, objectType: [TIMELINE_OBJECT] } },
	};
	return [
		...TIMELINE_CRMS.map((crm): INodeProperties => ({
			displayName: 'Activity Types',
			name: 'timelineTypes',
			type: 'multiOptions',
			options: timelineTypeOptions(crm),
			default: [],
			description:
				'Which activities to list, each with its own poll cursor (none chosen = all of them)',
			displayOptions: { show: { crm: [crm], objectType: [TIMELINE_OBJECT] } },
		})),
		records,
	];
}

/** A parameter that belongs to records, hidden for timeline activities. */
function recordsOnly(property: INodeProperties): INodeProperties {
	const hide = { ...(property.displayOptions?.hide ?? {}), objectType: [TIMELINE_OBJECT] };
	return { ...property, displayOptions: { ...(property.displayOptions ?? {}), hide } };
}

function objectParameters(): INodeProperties[] {
	return SYNC_TRIGGER_CRMS.map((crm) => {
		const objects = [...objectOptions(crm), ...timelineOption(crm)];
		const firstValue = objects[0].value;
		return {
			displayName: 'Object',
			name: 'objectType',
			type: 'options',
			noDataExpression: true,
			options: objects,
			default: firstValue,
			description:
				'Which records to watch for creations and updates. Contacts and leads come out as a neutral contact keyed by phone; companies and deals as a record with its ID, kind, standard properties, extra fields and associations.',
			displayOptions: { show: { crm: [crm] } },
		};
	});
}

/** The inclusion filter of each CRM whose change listing has one (autoch.at's has none). */
function filterParameters(): INodeProperties[] {
	return SYNC_TRIGGER_CRMS.flatMap((crm) => {
		const filter = profileOf(crm).syncFilter;
		if (!filter) return [];
		return [
			{
				displayName: filter.displayName,
				name: filter.parameter,
				type: filter.type,
				default: filter.default,
				...(filter.placeholder ? { placeholder: filter.placeholder } : {}),
				description: filter.description,
				displayOptions: { show: { crm: [crm] }, hide: { records: ['segment'] } },
			},
		];
	});
}

/** CRMs whose profile names lists/segments the trigger can watch. */
export const SEGMENT_CRMS: CrmName[] = crmsWhere(
	(profile) => profile.segments !== undefined,
).filter((crm) => SYNC_TRIGGER_CRMS.includes(crm));

/** "HubSpot: list; …; autoch.at CRM has none", from the profiles (no CRM name is compared). */
function segmentSummary(): string {
	const offered = SEGMENT_CRMS.map((crm) => {
		const { displayName, segments } = profileOf(crm);
		return `${displayName}: ${segments?.label.toLowerCase()}`;
	});
	const without = SYNC_TRIGGER_CRMS.filter((crm) => !SEGMENT_CRMS.includes(crm)).map(
		(crm) => `${profileOf(crm).displayName} has none, so this choice is not shown for it`,
	);
	return [...offered, ...without].join('; ');
}

function segmentParameters(): INodeProperties[] {
	const records: INodeProperties = {
		displayName: 'Records',
		name: 'records',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'All Changed Records',
				value: 'changes',
				description: 'Records created or updated since the last poll',
			},
			{
				name: 'Members of a List/Segment',
				value: 'segment',
				description:
					'Records added to or removed from a list, each once, marked change: added or removed',
			},
		],
		default: 'changes',
		description: `Which records start the workflow. Lists by CRM — ${segmentSummary()}.`,
		displayOptions: { show: { crm: SEGMENT_CRMS } },
	};
	const lists = SEGMENT_CRMS.map((crm): INodeProperties => {
		const segments = profileOf(crm).segments;
		return {
			displayName: `${segments?.label ?? 'List'} Name or ID`,
			name: 'segmentId',
			type: 'options',
			typeOptions: {
				loadOptionsMethod: 'getSegments',
				loadOptionsDependsOn: ['crm', 'objectType'],
			},
			default: '',
			required: true,
			description: `${segments?.description ?? ''} Each poll reads the whole membership (key-ordered pages, resumed where a poll stopped) and compares it with the stored member IDs: about 20-40 bytes of workflow static data per member, at most 100,000 members. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
			displayOptions: { show: { crm: [crm], records: ['segment'] } },
		};
	});
	const inclusion = SEGMENT_CRMS.map((crm): INodeProperties => {
		const segments = profileOf(crm).segments;
		return {
			displayName: 'Inclusion List Name or ID',
			name: 'inclusionSegmentId',
			type: 'options',
			typeOptions: {
				loadOptionsMethod: 'getInclusionSegments',
				loadOptionsDependsOn: ['crm', 'objectType'],
			},
			default: '',
			description: `Only records in this ${segments?.label.toLowerCase() ?? 'list'} sync: changed records come out only while they are members of it (the membership is read on every poll that found changes; at most 100,000 members). Leave empty to pass every change. A record that joins it later comes out with its next change — to start a sync when it joins, add a second trigger with Records: Members of a List/Segment. Deletions are not filtered. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
			displayOptions: { show: { crm: [crm], records: ['changes'] } },
		};
	});
	return [records, ...lists, ...inclusion];
}

export const syncTriggerProperties: INodeProperties[] = [
	crmParameter(SYNC_TRIGGER_CRMS),
	...authenticationParameters(SYNC_TRIGGER_CRMS),
	...objectParameters(),
	...timelineParameters(),
	...segmentParameters().map(recordsOnly),
	...kindParameters(SYNC_TRIGGER_CRMS).map(recordsOnly),
	recordsOnly({
		displayName: 'Extra Field Names or IDs',
		name: 'extraFields',
		type: 'multiOptions',
		typeOptions: {
			loadOptionsMethod: 'getSyncFields',
			loadOptionsDependsOn: ['crm', 'objectType'],
		},
		default: [],
		description:
			'CRM fields to include under "fields" in each output item, besides name, email, phone and do-not-call. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	}),
	...attributeProperties(SYNC_TRIGGER_CRMS).map(recordsOnly),
	...filterParameters().map(recordsOnly),
	{
		displayName: 'First Poll Starts',
		name: 'firstPoll',
		type: 'options',
		options: [
			{
				name: 'Hours Before Activation',
				value: 'hoursBack',
				description: 'Changes made in the last few hours (24 by default)',
			},
			{
				name: 'At a Date',
				value: 'startDate',
				description: 'Changes made since a chosen date and time',
			},
			{
				name: 'Everything (Full Import)',
				value: 'everything',
				description:
					'Every record, oldest change first, over as many polls as it takes; the sync log shows the progress',
			},
		],
		default: 'hoursBack',
		description:
			'How far back the first poll looks; later polls continue where the previous one stopped. A full import emits at most "Max Records per Poll" per poll and resumes where it stopped, also after a restart.',
		displayOptions: { hide: { records: ['segment'] } },
	},
	{
		displayName: 'First Poll Starts',
		name: 'firstSegmentPoll',
		type: 'options',
		options: [
			{
				name: 'From Now',
				value: 'now',
				description:
					'The members the first poll finds are the starting point; only later additions and removals come out',
			},
			{
				name: 'Everything (Every Current Member)',
				value: 'everything',
				description:
					'Every current member comes out as added, over as many polls as it takes; then additions and removals',
			},
		],
		default: 'now',
		displayOptions: { show: { records: ['segment'] } },
	},
	{
		displayName: 'Hours Back',
		name: 'hoursBack',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 8760 },
		default: 24,
		displayOptions: { show: { firstPoll: ['hoursBack'] }, hide: { records: ['segment'] } },
	},
	{
		displayName: 'Start Date',
		name: 'startDate',
		type: 'dateTime',
		default: '',
		displayOptions: { show: { firstPoll: ['startDate'] }, hide: { records: ['segment'] } },
	},
	defaultCountryParameter(
		'Two-letter country code used for CRM phone numbers written without a country code',
	),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Do-Not-Call Field',
				name: 'doNotCallField',
				type: 'string',
				default: '',
				placeholder: 'do_not_call',
				description:
					'Boolean CRM field read as "doNotCall". Defaults: Salesforce DoNotCall, Dynamics donotphone; HubSpot and autoch.at have no standard one, so doNotCall is null unless you name a field.',
			},
			{
				displayName: 'Max Records per Poll',
				name: 'maxRecords',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 10000,
				description:
					'No further pages are fetched once this many records were collected (the last page is kept whole); the next poll continues from there without losing any',
			},
			{
				displayName: 'Page Size',
				name: 'pageSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 200 },
				default: 100,
				description:
					'Records per CRM request while paging through the changes (HubSpot up to 200, autoch.at up to 100; Salesforce always pages at least 200)',
			},
			{
				displayName: 'Sample Size (Manual Test)',
				name: 'sampleSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100 },
				default: 5,
				description:
					'How many recently changed records a manual test returns (the cursor is not moved)',
			},
			{
				displayName: 'Settle Delay (Seconds)',
				name: 'settleSeconds',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 3600 },
				default: 30,
				description:
					'Changes younger than this wait for the next poll. CRM search indexes and long transactions make a change visible a little after its timestamp; waiting keeps such changes from being skipped.',
			},
			{
				displayName: 'Start-Over Key',
				name: 'startOverKey',
				type: 'string',
				default: '',
				placeholder: '2026-12-07',
				description:
					'Change this value (any text, e.g. today\'s date) and save to make the next poll forget where it stopped and start again from "First Poll Starts". A manual test shows where polls stand.',
			},
		],
	},
];
