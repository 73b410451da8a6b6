/** Dynamics 365's facts for nodes, descriptions and the transport (see ../profile.ts). */
import type { CrmProfile } from '../profile';

/** Dataverse column lengths (MaxLength) of the tables the pack writes. */
/** The first address of contacts, leads and accounts (Dataverse `address1_*` columns). */
const ADDRESS_1 = {
	country: 'address1_country',
	state: 'address1_stateorprovince',
	street: 'address1_line1',
	city: 'address1_city',
	postalCode: 'address1_postalcode',
} as const;

export const DYNAMICS_TEXT_LIMITS = {
	/** phonecall / task / appointment `subject`. */
	activitySubject: 200,
	/** phonecall / task / appointment `description`. */
	activityDescription: 2_000,
	/** Where an activity's key lives. */
	subcategory: 250,
	/** phonecall `phonenumber`. */
	phoneNumber: 200,
	/** annotation `subject`. */
	noteSubject: 500,
	/** annotation `notetext`. */
	noteText: 100_000,
} as const;

/** Operations one Dataverse `$batch` request may hold. */
export const MAX_BATCH_OPERATIONS = 1000;

export const DYNAMICS_PROFILE = {
	recordIds: {
		pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
		description: 'Dynamics 365 record id (a GUID)',
	},
	crm: 'dynamics',
	displayName: 'Dynamics 365',
	selectorLabel: 'Microsoft Dynamics 365',
	authentication: {
		parameter: 'dynamicsAuthentication',
		choices: [
			{
				value: 'oAuth2',
				name: 'OAuth2',
				description: 'Connect as a Microsoft user',
				credentialType: 'crmSyncDynamicsOAuth2Api',
				secret: 'renewable',
				whenRejected: 'Open the credential in n8n and connect it to Microsoft again.',
			},
			{
				value: 'clientCredentials',
				name: 'Client Credentials',
				description: 'Server-to-server through an app registration (application user)',
				credentialType: 'crmSyncDynamicsClientCredentialsApi',
				secret: 'renewable',
				whenRejected:
					"Check the credential's tenant, client ID and secret (secrets expire in Entra ID), and that the app is still an application user of the environment.",
			},
		],
	},
	objects: {
		deal: { objectType: 'opportunity', label: 'Opportunity' },
		contact: { objectType: 'contact', label: 'Contact' },
		company: { objectType: 'account', label: 'Account' },
		lead: { objectType: 'lead', label: 'Lead' },
	},
	// donotphone is "Do not allow Phone Calls".
	contactFields: {
		firstName: 'firstname',
		lastName: 'lastname',
		email: 'emailaddress1',
		phones: ['telephone1', 'mobilephone'],
		doNotCall: 'donotphone',
	},
	standardAttributes: {
		leadSource: {
			fields: { contact: 'leadsourcecode', lead: 'leadsourcecode' },
			note: 'leadsourcecode (Lead Source) on contact and lead',
		},
		// A lead's Status Reason (New, Contacted, Qualified …); a contact has no stage.
		lifecycleStage: {
			fields: { lead: 'statuscode' },
			note: 'statuscode (Status Reason) on lead; none on contact',
		},
	},
	personKeys: {
		stored: { phone: 'telephone1', email: 'emailaddress1' },
		lookedUp: { phone: ['telephone1', 'mobilephone', 'telephone2'], email: ['emailaddress1'] },
	},
	textLimits: DYNAMICS_TEXT_LIMITS,
	noteBodyLimit: DYNAMICS_TEXT_LIMITS.noteText,
	activityKinds: ['note', 'meeting', 'task', 'call', 'chat'],
	// Every activity has one "regarding" record.
	singleTargetActivityKinds: ['note', 'meeting', 'task', 'call', 'chat'],
	writeBatchSize: MAX_BATCH_OPERATIONS,
	meetingName: 'meeting',
	activityUpdates: true,
	// A phone call has one phone number column and no outcome column.
	callLog: {
		outcome: { store: 'description', maxLength: 255 },
		inDescription: { numbers: true, recording: true },
		fieldsObject: 'phonecall',
		reservedFields: ['subcategory', 'activityid', 'regardingobjectid', 'ownerid'],
	},
	// Choices are integers; multi-select choices are comma-joined integers.
	fieldValues: { multiSelectSeparator: ',', choicesAsNumbers: true },
	recordKeys: {
		company: { name: 'name', website: 'websiteurl' },
		deal: { name: 'name' },
		modifiedField: 'modifiedon',
	},
	address: {
		storage: 'names',
		fields: {
			contact: [ADDRESS_1],
			lead: [ADDRESS_1],
			company: [ADDRESS_1],
		},
	},
	syncFilter: {
		parameter: 'dynamicsFilter',
		displayName: 'Filter (OData Condition)',
		type: 'string',
		default: '',
		placeholder: 'statecode eq 0',
		description:
			'Optional OData $filter condition ANDed to the change query. It is sent as written: it is trusted configuration from the workflow owner.',
	},
	// 6000 requests per 5 minutes and 52 concurrent per user.
	recordFields: {
		company: {
			name: 'name',
			domain: 'websiteurl',
			phone: 'telephone1',
			city: 'address1_city',
			country: 'address1_country',
		},
		deal: {
			name: 'name',
			amount: 'estimatedvalue',
			stage: 'stepname',
			closeDate: 'estimatedclosedate',
			closed: { field: 'statecode', trueWhen: [1, 2] },
			won: { field: 'statecode', trueWhen: [1] },
		},
	},
	// Lookups bound with the record's own write (`<navigation property>@odata.bind`); a contact's
	// company is the account side of its customer lookup, an opportunity's account is both its
	// parent account and its potential customer.
	associationWrites: {
		contact: {
			company: {
				via: 'lookup',
				fields: ['parentcustomerid_account'],
				readField: '_parentcustomerid_value',
			},
		},
		deal: {
			company: {
				via: 'lookup',
				fields: ['parentaccountid', 'customerid_account'],
				readField: '_parentaccountid_value',
			},
			contact: { via: 'lookup', fields: ['parentcontactid'], readField: '_parentcontactid_value' },
		},
	},
	associations: {
		description:
			"Dynamics 365: read from the lookup columns in the same request (a contact's company, an opportunity's account and contact); accounts and leads carry none",
	},
	deletions: {
		description:
			'Dynamics 365: change tracking (the table must have "Track changes" on); the first poll with deletions on reads the table\'s ids once to start tracking, later polls read only the changes, one call each',
	},
	// One $batch of DELETEs, a change set each.
	recordDeletion: {
		supported: true,
		batchSize: MAX_BATCH_OPERATIONS,
		description:
			'Dynamics 365: the row is deleted (restorable only where the environment keeps deleted Dataverse records), 1,000 per $batch',
	},
	segments: {
		label: 'List or View',
		description:
			"A static Dynamics 365 marketing list of the chosen object (its members are read from the list members; dynamic lists are not offered) or a system or personal view of the object (the rows its filter selects, read with the view's own FetchXML filter on every poll).",
	},
	// A task has no type list of its own: its free-text Category holds it.
	timelineTask: {
		objectType: 'task',
		typeField: 'category',
		typeValues: 'text',
		typeMaxLength: 250,
		descriptionLimit: 2_000,
		completedStatus: 'Completed',
	},
	personLookup: {
		openDeals: true,
		// Leads only: a contact's company is its parent account.
		companyField: 'companyname',
		notes:
			'Dynamics 365: contacts and open leads; open opportunities of the contact and its account; last activity = the newest phone call, task or appointment regarding the person (Dynamics 365 keeps no last-activity column)',
	},
	rateLimit: { requests: 6000, windowMs: 300_000, concurrency: 52 },
	dailyUsage: {
		reported: false,
		description:
			'Dataverse reports only what is left of its 5-minute window per user (x-ms-ratelimit-* headers); the daily Power Platform request allocation is not on its answers',
	},
} as const satisfies CrmProfile;
