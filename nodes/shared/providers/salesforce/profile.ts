/** Salesforce's facts for nodes, descriptions and the transport (see ../profile.ts). */
import type { CrmProfile } from '../profile';

/** Field lengths from the object reference (describe `length`). */
export const SALESFORCE_TEXT_LIMITS = {
	/** Task / Event `Subject`. */
	subject: 255,
	/** Task / Event `Description` (plain text). */
	description: 32_000,
	/** Task `Type` (a picklist value). */
	taskType: 255,
	/** Task `CallObject`, where the activity key lives. */
	callObject: 255,
	contentNoteTitle: 255,
	/**
	 * ContentNote `Content` (HTML) has no field limit short of the file size; the pack caps a
	 * note at this many characters so it stays readable in the notes panel.
	 */
	contentNote: 131_072,
	/** Legacy `Note`. */
	legacyNoteTitle: 80,
	legacyNoteBody: 32_000,
} as const;

/** 15 or 18 letters and digits. */
export const SALESFORCE_RECORD_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;

export const SALESFORCE_PROFILE = {
	recordIds: {
		pattern: SALESFORCE_RECORD_ID,
		description: 'Salesforce record id (15 or 18 characters)',
	},
	crm: 'salesforce',
	displayName: 'Salesforce',
	selectorLabel: 'Salesforce',
	authentication: {
		parameter: 'salesforceAuthentication',
		choices: [
			{
				value: 'oAuth2',
				name: 'OAuth2',
				description: 'Connect as a Salesforce user (production or sandbox org)',
				credentialType: 'crmSyncSalesforceOAuth2Api',
				secret: 'renewable',
				whenRejected: 'Open the credential in n8n and connect it to Salesforce again.',
			},
			{
				value: 'clientCredentials',
				name: 'Client Credentials',
				description: 'Server-to-server through a connected app on your My Domain',
				credentialType: 'crmSyncSalesforceClientCredentialsApi',
				secret: 'renewable',
				whenRejected:
					"Check the credential's consumer key and secret, and that the connected app still enables the client credentials flow with a run-as user.",
			},
		],
	},
	objects: {
		deal: { objectType: 'Opportunity', label: 'Opportunity' },
		contact: { objectType: 'Contact', label: 'Contact' },
		company: { objectType: 'Account', label: 'Account' },
		lead: { objectType: 'Lead', label: 'Lead' },
	},
	// DoNotCall is the standard checkbox on both Contact and Lead.
	contactFields: {
		firstName: 'FirstName',
		lastName: 'LastName',
		email: 'Email',
		phones: ['Phone', 'MobilePhone'],
		doNotCall: 'DoNotCall',
	},
	standardAttributes: {
		leadSource: {
			fields: { contact: 'LeadSource', lead: 'LeadSource' },
			note: 'LeadSource on Contact and Lead',
		},
		// A Contact has no stage; a Lead's Status is where it stands until it is converted.
		lifecycleStage: {
			fields: { lead: 'Status' },
			note: 'Lead Status on Lead; none on Contact',
		},
	},
	personKeys: {
		stored: { phone: 'Phone', email: 'Email' },
		lookedUp: { phone: ['Phone', 'MobilePhone'], email: ['Email'] },
	},
	textLimits: SALESFORCE_TEXT_LIMITS,
	noteBodyLimit: SALESFORCE_TEXT_LIMITS.contentNote,
	activityKinds: ['note', 'meeting', 'task', 'call', 'chat'],
	// An Event has exactly one WhoId and one WhatId.
	singleTargetActivityKinds: ['meeting'],
	writeBatchSize: 200,
	// HubSpot's own Salesforce integration fills a missing Company or LastName so.
	requiredTextPlaceholder: '[not provided]',
	leadConversion: { convertedField: 'IsConverted', contactField: 'ConvertedContactId' },
	meetingName: 'event',
	activityUpdates: true,
	noteAsMeeting: {
		parameter: 'salesforceDestination',
		description:
			'Create or update one Salesforce event for the selected matched record (single-target routing)',
	},
	// The activity timeline lists Tasks; a Task has one WhoId (more only with Shared Activities).
	notesAsTasks: true,
	phoneSearchIndex: true,
	// A Task has Call Result (CallDisposition) but no from/to number or recording field.
	callLog: {
		outcome: { store: 'text', field: 'CallDisposition', maxLength: 255 },
		inDescription: { numbers: true, recording: true },
		fieldsObject: 'Task',
		reservedFields: ['CallObject', 'WhoId', 'WhatId', 'TaskSubtype', 'Id'],
	},
	fieldValues: { multiSelectSeparator: ';', choicesAsNumbers: false },
	recordKeys: {
		company: { name: 'Name', website: 'Website' },
		deal: { name: 'Name' },
		modifiedField: 'SystemModstamp',
	},
	// Opportunity contacts are OpportunityContactRole records; a Lead has no account.
	associationWrites: {
		contact: { company: { via: 'lookup', fields: ['AccountId'], readField: 'AccountId' } },
		deal: {
			company: { via: 'lookup', fields: ['AccountId'], readField: 'AccountId' },
			contact: {
				via: 'junction',
				objectType: 'OpportunityContactRole',
				recordField: 'OpportunityId',
				associatedField: 'ContactId',
			},
		},
	},
	// With State and Country/Territory Picklists on, each address also has code picklists.
	address: {
		storage: 'codes',
		fields: {
			contact: [
				{
					country: 'MailingCountry',
					state: 'MailingState',
					countryCode: 'MailingCountryCode',
					stateCode: 'MailingStateCode',
					street: 'MailingStreet',
					city: 'MailingCity',
					postalCode: 'MailingPostalCode',
				},
				{
					country: 'OtherCountry',
					state: 'OtherState',
					countryCode: 'OtherCountryCode',
					stateCode: 'OtherStateCode',
					street: 'OtherStreet',
					city: 'OtherCity',
					postalCode: 'OtherPostalCode',
				},
			],
			lead: [
				{
					country: 'Country',
					state: 'State',
					countryCode: 'CountryCode',
					stateCode: 'StateCode',
					street: 'Street',
					city: 'City',
					postalCode: 'PostalCode',
				},
			],
			company: [
				{
					country: 'BillingCountry',
					state: 'BillingState',
					countryCode: 'BillingCountryCode',
					stateCode: 'BillingStateCode',
					street: 'BillingStreet',
					city: 'BillingCity',
					postalCode: 'BillingPostalCode',
				},
				{
					country: 'ShippingCountry',
					state: 'ShippingState',
					countryCode: 'ShippingCountryCode',
					stateCode: 'ShippingStateCode',
					street: 'ShippingStreet',
					city: 'ShippingCity',
					postalCode: 'ShippingPostalCode',
				},
			],
		},
	},
	syncFilter: {
		parameter: 'salesforceFilter',
		displayName: 'Filter (SOQL Condition)',
		type: 'string',
		default: '',
		placeholder: "LeadSource = 'Web' AND Phone != null",
		description:
			'Optional SOQL condition ANDed to the change query. It is sent as written: it is trusted configuration from the workflow owner, never data from a call.',
	},
	// No short window, but at most 25 long-running requests at once.
	recordFields: {
		company: {
			name: 'Name',
			domain: 'Website',
			phone: 'Phone',
			city: 'BillingCity',
			country: 'BillingCountry',
		},
		deal: {
			name: 'Name',
			amount: 'Amount',
			stage: 'StageName',
			closeDate: 'CloseDate',
			closed: 'IsClosed',
			won: 'IsWon',
		},
	},
	associations: {
		description:
			'Salesforce: a contact carries its account (the AccountId field), an opportunity its account and its contacts (one OpportunityContactRole query per 200 opportunities); accounts and leads carry none',
	},
	deletions: {
		description:
			'Salesforce: the delete log (sObject Get Deleted), one call per poll; it keeps the last 15 days, at minute precision',
	},
	// sObject Collections delete: the records go to the Recycle Bin.
	recordDeletion: {
		supported: true,
		batchSize: 200,
		description:
			'Salesforce: the record goes to the Recycle Bin (restorable for 15 days), 200 per call',
	},
	segments: {
		label: 'Campaign or List View',
		description:
			"A Salesforce campaign (its members are leads and contacts — CampaignMember rows — whatever the Object above; each comes out with its own object type) or a list view of the Object above (the records its filter selects, read with the view's own filter on every poll).",
	},
	timeline: {
		objects: [
			{
				objectType: 'Task',
				type: 'task',
				// Logged calls and emails are Tasks of those subtypes.
				byField: { field: 'TaskSubtype', values: { Call: 'call', Email: 'email' } },
				subject: 'Subject',
				body: [{ field: 'Description', html: false }],
				occurredAt: ['ActivityDate', 'CreatedDate'],
				direction: { field: 'CallType', inbound: ['Inbound'], outbound: ['Outbound'] },
				duration: { field: 'CallDurationInSeconds', unitMs: 1000 },
				status: 'Status',
				keyField: 'CallObject',
			},
		],
		links: {
			by: 'fields',
			person: 'WhoId',
			related: 'WhatId',
			// Standard key prefixes of Contact, Lead, Account and Opportunity ids.
			prefixes: { contact: '003', lead: '00Q', company: '001', deal: '006' },
		},
		description:
			"Salesforce: Tasks (logged calls and emails included), listed by their last change with the person (Name) and the account or opportunity (Related To) they are about, and those people's e-mail addresses (one query per poll for contacts, one for leads)",
	},
	timelineTask: {
		objectType: 'Task',
		typeField: 'Type',
		typeValues: 'picklist',
		typeMaxLength: 255,
		descriptionLimit: 32_000,
		completedStatus: 'Completed',
	},
	personLookup: {
		openDeals: true,
		lastActivityField: 'LastActivityDate',
		// Leads only: a contact's company is its account.
		companyField: 'Company',
		notes:
			"Salesforce: contacts and unconverted leads, found through search (a record created seconds ago may not be searchable yet); open opportunities of the contact's account (leads have none); last activity from Last Activity (a date)",
	},
	rateLimit: { requests: 1000, windowMs: 1000, concurrency: 25 },
	dailyUsage: {
		reported: true,
		description: 'the Sforce-Limit-Info header (api-usage=used/limit over the rolling 24 hours)',
	},
} as const satisfies CrmProfile;
