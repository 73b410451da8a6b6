/** HubSpot's facts for nodes, descriptions and the transport (see ../profile.ts). */
import type { CrmProfile } from '../profile';

/** Any text property value set through the API (bodies are stored as HTML). */
export const HUBSPOT_TEXT_LIMITS = {
	propertyValue: 65_536,
} as const;

export const HUBSPOT_PROFILE = {
	crm: 'hubspot',
	displayName: 'HubSpot',
	selectorLabel: 'HubSpot',
	authentication: {
		parameter: 'hubspotAuthentication',
		choices: [
			// First: what most self-hosted installs use (OAuth2 needs a public HubSpot app of your own).
			{
				value: 'privateApp',
				name: 'Private App Token',
				description: 'A private app access token from HubSpot settings',
				credentialType: 'crmSyncHubSpotPrivateAppApi',
				secret: 'static',
				whenRejected:
					"Copy the private app's current access token from HubSpot (Settings → Integrations → Private Apps) into the credential; a rotated token or a deleted app no longer works.",
			},
			{
				value: 'oAuth2',
				name: 'OAuth2',
				description: 'Connect as a HubSpot user through a HubSpot app',
				credentialType: 'crmSyncHubSpotOAuth2Api',
				secret: 'renewable',
				whenRejected: 'Open the credential in n8n and connect it to HubSpot again.',
			},
		],
	},
	objects: {
		deal: { objectType: 'deals', label: 'Deal' },
		contact: { objectType: 'contacts', label: 'Contact' },
		company: { objectType: 'companies', label: 'Company' },
	},
	// No standard do-not-call contact property: calling opt-outs live in communication
	// subscriptions, not in a searchable property, so a user names one (e.g. `do_not_call`).
	contactFields: {
		firstName: 'firstname',
		lastName: 'lastname',
		email: 'email',
		phones: ['phone', 'mobilephone'],
	},
	standardAttributes: {
		// "Original Source": HubSpot sets it from the first tracked visit or how the record was created.
		leadSource: {
			fields: { contact: 'hs_analytics_source' },
			note: 'hs_analytics_source (Original Source) on contacts',
		},
		lifecycleStage: {
			fields: { contact: 'lifecyclestage', company: 'lifecyclestage' },
			note: 'lifecyclestage on contacts and companies',
		},
	},
	personKeys: {
		stored: { phone: 'phone', email: 'email' },
		lookedUp: { phone: ['phone', 'mobilephone'], email: ['email'] },
		uniqueOnCreate: { email: 'email' },
	},
	textLimits: HUBSPOT_TEXT_LIMITS,
	noteBodyLimit: HUBSPOT_TEXT_LIMITS.propertyValue,
	activityKinds: ['note', 'meeting', 'task', 'call', 'chat'],
	singleTargetActivityKinds: [],
	writeBatchSize: 100,
	meetingName: 'meeting',
	activityUpdates: true,
	noteAsMeeting: {
		parameter: 'hubspotDestination',
		description: 'Create or update a HubSpot meeting',
	},
	// Calls have their own from/to number, recording URL and disposition properties.
	callLog: {
		outcome: { store: 'choice' },
		inDescription: { numbers: false, recording: false },
		fieldsObject: 'calls',
		reservedFields: ['hs_call_external_id', 'hs_call_body', 'hs_timestamp', 'hs_object_id'],
	},
	meetingDetails: {
		typeField: { objectType: 'meetings', field: 'hs_activity_type' },
		outcome: true,
	},
	fieldValues: { multiSelectSeparator: ';', choicesAsNumbers: false },
	recordKeys: { company: { name: 'name', website: 'domain' }, deal: { name: 'dealname' } },
	address: {
		storage: 'names',
		fields: {
			contact: [
				{ country: 'country', state: 'state', street: 'address', city: 'city', postalCode: 'zip' },
			],
			company: [
				{ country: 'country', state: 'state', street: 'address', city: 'city', postalCode: 'zip' },
			],
		},
	},
	syncFilter: {
		parameter: 'hubspotFilter',
		displayName: 'Filter (HubSpot Search Filters)',
		type: 'json',
		// An empty array, not '': the editor's JSON field flags an empty string as invalid JSON.
		default: '[]',
		description:
			'JSON array of HubSpot search filters, e.g. [{ "propertyName": "lifecyclestage", "operator": "EQ", "value": "lead" }]; only records matching all of them are emitted. Leave [] to emit every changed record.',
	},
	recordFields: {
		company: { name: 'name', domain: 'domain', phone: 'phone', city: 'city', country: 'country' },
		deal: {
			name: 'dealname',
			amount: 'amount',
			stage: 'dealstage',
			closeDate: 'closedate',
			closed: 'hs_is_closed',
			won: 'hs_is_closed_won',
		},
	},
	// Default (unlabeled) associations through the v4 associations API.
	associationWrites: {
		contact: { company: { via: 'api' } },
		deal: { company: { via: 'api' }, contact: { via: 'api' } },
	},
	associations: {
		description:
			'HubSpot: a contact carries its companies, a deal its companies and contacts (one associations batch read per 1,000 records and associated kind); a company carries none',
	},
	deletions: {
		description:
			'HubSpot: archived records (the archived listing holds the last 90 days; it is not ordered by time, so every page of it is read on each poll, 100 per call)',
	},
	// Batch archive: HubSpot keeps archived records restorable for 90 days.
	recordDeletion: {
		supported: true,
		batchSize: 100,
		description:
			'HubSpot: the record is archived (restorable from the recycling bin for 90 days), 100 per call',
	},
	segments: {
		label: 'List',
		description:
			'A HubSpot list (segment) of the chosen object: static or active. Members are read in record-id order through the Lists API.',
	},
	timeline: {
		objects: [
			{
				objectType: 'calls',
				type: 'call',
				subject: 'hs_call_title',
				body: [{ field: 'hs_call_body', html: true }],
				occurredAt: ['hs_timestamp', 'hs_createdate'],
				direction: { field: 'hs_call_direction', inbound: ['INBOUND'], outbound: ['OUTBOUND'] },
				duration: { field: 'hs_call_duration', unitMs: 1 },
				status: 'hs_call_status',
			},
			{
				objectType: 'meetings',
				type: 'meeting',
				subject: 'hs_meeting_title',
				body: [{ field: 'hs_meeting_body', html: true }],
				occurredAt: ['hs_meeting_start_time', 'hs_timestamp', 'hs_createdate'],
				status: 'hs_meeting_outcome',
			},
			{
				objectType: 'notes',
				type: 'note',
				body: [{ field: 'hs_note_body', html: true }],
				occurredAt: ['hs_timestamp', 'hs_createdate'],
			},
			{
				objectType: 'emails',
				type: 'email',
				subject: 'hs_email_subject',
				body: [
					{ field: 'hs_email_text', html: false },
					{ field: 'hs_email_html', html: true },
				],
				occurredAt: ['hs_timestamp', 'hs_createdate'],
				direction: {
					field: 'hs_email_direction',
					inbound: ['INCOMING_EMAIL'],
					outbound: ['EMAIL', 'FORWARDED_EMAIL'],
				},
				status: 'hs_email_status',
			},
		],
		links: { by: 'associations' },
		description:
			"HubSpot: calls, meetings, notes and emails, each type listed by its last change (one search per type and page) with its contacts, companies and deals (one associations batch read per page and kind) and the contacts' e-mail addresses (one batch read per poll)",
	},
	// Task bodies are HTML: the plain text grows when escaped, so the limit leaves room.
	timelineTask: {
		objectType: 'tasks',
		typeField: 'hs_task_type',
		typeValues: 'picklist',
		typeMaxLength: 100,
		descriptionLimit: 50_000,
		completedStatus: 'COMPLETED',
	},
	personLookup: {
		openDeals: true,
		lastActivityField: 'notes_last_updated',
		companyField: 'company',
		notes:
			'HubSpot: contacts (HubSpot has no leads object); deals associated with the contact; last activity from "Last Activity Date"',
	},
	// Free/Starter: 100 requests per 10 s (Pro/Enterprise may raise it to 190).
	rateLimit: { requests: 100, windowMs: 10_000, concurrency: 10 },
	dailyUsage: {
		reported: true,
		description:
			'the X-HubSpot-RateLimit-Daily and -Daily-Remaining headers, sent to private apps (OAuth apps have no daily limit and get neither)',
	},
	// Changes are listed through the search index: seconds behind, rarely a minute.
	changeListingLagMs: 60_000,
} as const satisfies CrmProfile;
