/** autoch.at CRM's facts for nodes, descriptions and the transport (see ../profile.ts). */
import type { CrmProfile } from '../profile';

/**
 * Client activities. The activities endpoint is not publicly documented (see endpoints.ts):
 * these are the pack's assumed limits, which the local sandbox enforces the same way.
 */
export const AUTOCHAT_TEXT_LIMITS = {
	activitySubject: 255,
	activityBody: 10_000,
} as const;

export const AUTOCHAT_PROFILE = {
	crm: 'autochat',
	displayName: 'autoch.at CRM',
	selectorLabel: 'autoch.at CRM',
	authentication: {
		parameter: 'autochatAuthentication',
		choices: [
			{
				value: 'apiKey',
				name: 'API Key',
				description: 'An autoch.at CRM API key',
				credentialType: 'crmSyncAutochatApi',
				secret: 'static',
				whenRejected:
					'autoch.at CRM API keys do not expire, so the key was mistyped or deleted: check it in the credential, or create a new one in autoch.at CRM under Settings → API Keys and paste it there.',
			},
		],
	},
	// Clients are the contacts.
	objects: { contact: { objectType: 'client', label: 'Client' } },
	// The documented client fields have no do-not-call flag; `name` is split when first/last are empty.
	contactFields: {
		firstName: 'first_name',
		lastName: 'last_name',
		email: 'email',
		phones: ['phone'],
		fullName: 'name',
	},
	// The documented client has neither; its `status` has no documented values, so it is not guessed as a stage.
	standardAttributes: {
		leadSource: { fields: {}, note: 'none' },
		lifecycleStage: { fields: {}, note: 'none (map the client status yourself if you use it so)' },
	},
	personKeys: {
		stored: { phone: 'phone', email: 'email' },
		lookedUp: { phone: ['phone'], email: ['email'] },
	},
	textLimits: AUTOCHAT_TEXT_LIMITS,
	noteBodyLimit: AUTOCHAT_TEXT_LIMITS.activityBody,
	activityKinds: ['note', 'call', 'meeting'],
	// An activity belongs to one client.
	singleTargetActivityKinds: ['note', 'call', 'meeting'],
	// No documented batch endpoints: one record per call.
	writeBatchSize: 1,
	meetingName: 'meeting',
	// autoch.at CRM has no activity update endpoint.
	activityUpdates: false,
	// Call details travel in the activity's metadata; activities have no describable fields.
	callLog: {
		outcome: { store: 'text', field: 'metadata.outcome', maxLength: 255 },
		inDescription: { numbers: false, recording: false },
		reservedFields: [],
	},
	address: {
		storage: 'names',
		fields: {
			contact: [
				{ country: 'country', state: 'state', street: 'address', city: 'city', postalCode: 'zip' },
			],
		},
	},
	fieldValues: { choicesAsNumbers: false },
	// The documented clients resource has no delete.
	recordDeletion: {
		supported: false,
		description:
			'autoch.at CRM: its API has no way to delete a client, so deletions are not propagated there (the item is skipped)',
	},
	personLookup: {
		openDeals: false,
		notes:
			'autoch.at CRM: clients; its API has no deals and no last-activity field, so those stay empty; a phone is asked in two spellings (E.164, and digits without the plus)',
	},
	rateLimit: { requests: 100, windowMs: 60_000, concurrency: 5 },
	dailyUsage: {
		reported: false,
		description: 'autoch.at reports its per-minute limit only (X-RateLimit-* headers)',
	},
} as const satisfies CrmProfile;
