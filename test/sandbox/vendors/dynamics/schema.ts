/**
 * The Dataverse tables the sandbox serves, in metadata terms: columns (attribute type,
 * format, option set, required level, lookup targets), single-valued navigation
 * properties for `@odata.bind`, activity-party collections and alternate keys.
 */
export type AttributeType =
	| 'Uniqueidentifier'
	| 'String'
	| 'Memo'
	| 'Integer'
	| 'Money'
	| 'Boolean'
	| 'DateTime'
	| 'Picklist'
	| 'State'
	| 'Status'
	| 'Lookup'
	| 'Customer'
	| 'Owner'
	| 'EntityName';

export type StringFormat = 'Email' | 'Phone' | 'Url' | 'Text';

export interface DataverseAttribute {
	name: string;
	label: string;
	type: AttributeType;
	maxLength?: number;
	format?: StringFormat;
	dateOnly?: boolean;
	options?: Array<[number, string]>;
	required?: 'ApplicationRequired' | 'SystemRequired';
	/** Maintained by the platform (createdon, fullname, objecttypecode …). */
	readOnly?: boolean;
	/** Lookup targets (logical names). */
	targets?: string[];
	primaryId?: boolean;
	primaryName?: boolean;
}

export interface NavigationProperty {
	name: string;
	/** The lookup column it sets. */
	attribute: string;
	target: string;
}

export interface DataverseEntity {
	logicalName: string;
	entitySet: string;
	primaryId: string;
	primaryName: string;
	attributes: DataverseAttribute[];
	navigation: NavigationProperty[];
	/** Collection-valued navigation to activity parties (deep insert on create). */
	partiesProperty?: string;
	alternateKeys: string[];
}

const STATE_ACTIVE: Array<[number, string]> = [
	[0, 'Active'],
	[1, 'Inactive'],
];
const STATUS_ACTIVE: Array<[number, string]> = [
	[1, 'Active'],
	[2, 'Inactive'],
];
const ACTIVITY_STATE: Array<[number, string]> = [
	[0, 'Open'],
	[1, 'Completed'],
	[2, 'Canceled'],
];
const ACTIVITY_STATUS: Array<[number, string]> = [
	[1, 'Open'],
	[2, 'Made'],
	[3, 'Canceled'],
	[4, 'Received'],
	[5, 'Completed'],
];
const RECORD_TARGETS = ['account', 'contact', 'lead', 'opportunity'];

const id = (name: string, label: string): DataverseAttribute => ({
	name,
	label,
	type: 'Uniqueidentifier',
	primaryId: true,
});
const text = (
	name: string,
	label: string,
	maxLength: number,
	extra: Partial<DataverseAttribute> = {},
): DataverseAttribute => ({
	name,
	label,
	type: 'String',
	maxLength,
	format: 'Text',
	...extra,
});
const memo = (name: string, label: string, maxLength: number): DataverseAttribute => ({
	name,
	label,
	type: 'Memo',
	maxLength,
});
const lookup = (
	name: string,
	label: string,
	targets: string[],
	type: AttributeType = 'Lookup',
): DataverseAttribute => ({ name, label, type, targets });
const datetime = (
	name: string,
	label: string,
	extra: Partial<DataverseAttribute> = {},
): DataverseAttribute => ({ name, label, type: 'DateTime', ...extra });
const system = (
	stateOptions = STATE_ACTIVE,
	statusOptions = STATUS_ACTIVE,
): DataverseAttribute[] => [
	datetime('createdon', 'Created On', { readOnly: true }),
	datetime('modifiedon', 'Modified On', { readOnly: true }),
	lookup('ownerid', 'Owner', ['systemuser'], 'Owner'),
	{ name: 'statecode', label: 'Status', type: 'State', options: stateOptions },
	{ name: 'statuscode', label: 'Status Reason', type: 'Status', options: statusOptions },
];
const nav = (name: string, attribute: string, target: string): NavigationProperty => ({
	name,
	attribute,
	target,
});
const owner = (): NavigationProperty => nav('ownerid', 'ownerid', 'systemuser');

function activity(
	logicalName: string,
	entitySet: string,
	label: string,
	extra: DataverseAttribute[],
): DataverseEntity {
	return {
		logicalName,
		entitySet,
		primaryId: 'activityid',
		primaryName: 'subject',
		partiesProperty: logicalName === 'task' ? undefined : `${logicalName}_activity_parties`,
		alternateKeys: [],
		attributes: [
			id('activityid', label),
			text('subject', 'Subject', 200, { primaryName: true, required: 'SystemRequired' }),
			memo('description', 'Description', 2000),
			text('subcategory', 'Sub-Category', 250),
			lookup('regardingobjectid', 'Regarding', RECORD_TARGETS),
			datetime('scheduledstart', 'Start Date'),
			datetime('scheduledend', 'Due Date'),
			datetime('actualstart', 'Actual Start'),
			datetime('actualend', 'Actual End'),
			{ name: 'actualdurationminutes', label: 'Actual Duration', type: 'Integer' },
			{
				name: 'prioritycode',
				label: 'Priority',
				type: 'Picklist',
				options: [
					[0, 'Low'],
					[1, 'Normal'],
					[2, 'High'],
				],
			},
			...system(ACTIVITY_STATE, ACTIVITY_STATUS),
			...extra,
		],
		navigation: [
			...RECORD_TARGETS.map((target) =>
				nav(`regardingobjectid_${target}_${logicalName}`, 'regardingobjectid', target),
			),
			owner(),
		],
	};
}

/** The first address of a contact, lead or account (Dataverse `address1_*` columns). */
const address1 = (): DataverseAttribute[] => [
	text('address1_line1', 'Address 1: Street 1', 250),
	text('address1_city', 'Address 1: City', 80),
	text('address1_stateorprovince', 'Address 1: State/Province', 50),
	text('address1_postalcode', 'Address 1: ZIP/Postal Code', 20),
	text('address1_country', 'Address 1: Country/Region', 80),
];

/** A view table (system or personal views): FetchXML queries of one table. */
function viewTable(logicalName: string, entitySet: string, label: string): DataverseEntity {
	const idColumn = `${logicalName}id`;
	return {
		logicalName,
		entitySet,
		primaryId: idColumn,
		primaryName: 'name',
		alternateKeys: [],
		attributes: [
			id(idColumn, label),
			text('name', 'Name', 200, { required: 'ApplicationRequired', primaryName: true }),
			text('returnedtypecode', 'Table', 64, { required: 'SystemRequired' }),
			{ name: 'querytype', label: 'Query Type', type: 'Integer' },
			memo('fetchxml', 'FetchXML', 1_073_741_823),
			...system(),
		],
		navigation: [],
	};
}

const ENTITIES: DataverseEntity[] = [
	{
		logicalName: 'contact',
		entitySet: 'contacts',
		primaryId: 'contactid',
		primaryName: 'fullname',
		alternateKeys: ['emailaddress1'],
		attributes: [
			id('contactid', 'Contact'),
			text('firstname', 'First Name', 50),
			text('lastname', 'Last Name', 50, { required: 'ApplicationRequired' }),
			text('fullname', 'Full Name', 160, { readOnly: true, primaryName: true }),
			text('emailaddress1', 'Email', 100, { format: 'Email' }),
			text('telephone1', 'Business Phone', 50, { format: 'Phone' }),
			text('telephone2', 'Home Phone', 50, { format: 'Phone' }),
			text('mobilephone', 'Mobile Phone', 50, { format: 'Phone' }),
			text('jobtitle', 'Job Title', 100),
			...address1(),
			lookup('parentcustomerid', 'Company Name', ['account', 'contact'], 'Customer'),
			memo('description', 'Description', 2000),
			{
				name: 'preferredcontactmethodcode',
				label: 'Preferred Method of Contact',
				type: 'Picklist',
				options: [
					[1, 'Any'],
					[2, 'Email'],
					[3, 'Phone'],
				],
			},
			// A contact's Lead Source ships with one option; orgs add their own.
			{
				name: 'leadsourcecode',
				label: 'Lead Source',
				type: 'Picklist',
				options: [[1, 'Default Value']],
			},
			datetime('birthdate', 'Birthday', { dateOnly: true }),
			...system(),
		],
		navigation: [
			nav('parentcustomerid_account', 'parentcustomerid', 'account'),
			nav('parentcustomerid_contact', 'parentcustomerid', 'contact'),
			owner(),
		],
	},
	{
		logicalName: 'account',
		entitySet: 'accounts',
		primaryId: 'accountid',
		primaryName: 'name',
		alternateKeys: ['accountnumber'],
		attributes: [
			id('accountid', 'Account'),
			text('name', 'Account Name', 160, { required: 'ApplicationRequired', primaryName: true }),
			text('accountnumber', 'Account Number', 20),
			text('telephone1', 'Main Phone', 50, { format: 'Phone' }),
			text('telephone2', 'Other Phone', 50, { format: 'Phone' }),
			text('emailaddress1', 'Email', 100, { format: 'Email' }),
			text('websiteurl', 'Website', 200, { format: 'Url' }),
			...address1(),
			{
				name: 'industrycode',
				label: 'Industry',
				type: 'Picklist',
				options: [
					[1, 'Energy'],
					[2, 'Manufacturing'],
					[3, 'Software'],
					[4, 'Retail'],
				],
			},
			lookup('primarycontactid', 'Primary Contact', ['contact']),
			memo('description', 'Description', 2000),
			...system(),
		],
		navigation: [nav('primarycontactid', 'primarycontactid', 'contact'), owner()],
	},
	{
		logicalName: 'lead',
		entitySet: 'leads',
		primaryId: 'leadid',
		primaryName: 'fullname',
		alternateKeys: ['emailaddress1'],
		attributes: [
			id('leadid', 'Lead'),
			text('firstname', 'First Name', 50),
			text('lastname', 'Last Name', 50, { required: 'ApplicationRequired' }),
			text('fullname', 'Name', 160, { readOnly: true, primaryName: true }),
			text('companyname', 'Company Name', 100),
			text('subject', 'Topic', 300),
			text('emailaddress1', 'Email', 100, { format: 'Email' }),
			text('telephone1', 'Business Phone', 50, { format: 'Phone' }),
			text('telephone2', 'Home Phone', 50, { format: 'Phone' }),
			text('mobilephone', 'Mobile Phone', 20, { format: 'Phone' }),
			...address1(),
			{
				name: 'leadsourcecode',
				label: 'Lead Source',
				type: 'Picklist',
				options: [
					[1, 'Advertisement'],
					[4, 'Partner'],
					[8, 'Web'],
					[10, 'Other'],
				],
			},
			lookup('parentaccountid', 'Parent Account', ['account']),
			lookup('parentcontactid', 'Parent Contact', ['contact']),
			memo('description', 'Description', 2000),
			...system(
				[
					[0, 'Open'],
					[1, 'Qualified'],
					[2, 'Disqualified'],
				],
				[
					[1, 'New'],
					[2, 'Contacted'],
					[3, 'Qualified'],
					[4, 'Lost'],
				],
			),
		],
		navigation: [
			nav('parentaccountid', 'parentaccountid', 'account'),
			nav('parentcontactid', 'parentcontactid', 'contact'),
			owner(),
		],
	},
	{
		logicalName: 'opportunity',
		entitySet: 'opportunities',
		primaryId: 'opportunityid',
		primaryName: 'name',
		alternateKeys: [],
		attributes: [
			id('opportunityid', 'Opportunity'),
			text('name', 'Topic', 300, { required: 'ApplicationRequired', primaryName: true }),
			{ name: 'estimatedvalue', label: 'Est. Revenue', type: 'Money' },
			datetime('estimatedclosedate', 'Est. Close Date', { dateOnly: true }),
			text('stepname', 'Pipeline Phase', 200),
			lookup('parentaccountid', 'Account', ['account']),
			lookup('parentcontactid', 'Contact', ['contact']),
			lookup('customerid', 'Potential Customer', ['account', 'contact'], 'Customer'),
			memo('description', 'Description', 2000),
			...system(
				[
					[0, 'Open'],
					[1, 'Won'],
					[2, 'Lost'],
				],
				[
					[1, 'In Progress'],
					[2, 'On Hold'],
					[3, 'Won'],
					[4, 'Canceled'],
					[5, 'Out-Sold'],
				],
			),
		],
		navigation: [
			nav('parentaccountid', 'parentaccountid', 'account'),
			nav('parentcontactid', 'parentcontactid', 'contact'),
			nav('customerid_account', 'customerid', 'account'),
			nav('customerid_contact', 'customerid', 'contact'),
			owner(),
		],
	},
	{
		logicalName: 'annotation',
		entitySet: 'annotations',
		primaryId: 'annotationid',
		primaryName: 'subject',
		alternateKeys: [],
		attributes: [
			id('annotationid', 'Note'),
			text('subject', 'Title', 500, { primaryName: true }),
			memo('notetext', 'Description', 100_000),
			lookup('objectid', 'Regarding', RECORD_TARGETS),
			{ name: 'objecttypecode', label: 'Object Type', type: 'EntityName', readOnly: true },
			{ name: 'isdocument', label: 'Is Document', type: 'Boolean' },
			text('filename', 'File Name', 255),
			text('mimetype', 'Mime Type', 256),
			datetime('createdon', 'Created On', { readOnly: true }),
			datetime('modifiedon', 'Modified On', { readOnly: true }),
			lookup('ownerid', 'Owner', ['systemuser'], 'Owner'),
		],
		navigation: [
			...RECORD_TARGETS.map((target) => nav(`objectid_${target}`, 'objectid', target)),
			owner(),
		],
	},
	activity('phonecall', 'phonecalls', 'Phone Call', [
		text('phonenumber', 'Phone Number', 200, { format: 'Phone' }),
		{ name: 'directioncode', label: 'Direction', type: 'Boolean' },
	]),
	activity('task', 'tasks', 'Task', [
		{ name: 'percentcomplete', label: 'Percent Complete', type: 'Integer' },
		text('category', 'Category', 250),
	]),
	activity('appointment', 'appointments', 'Appointment', [text('location', 'Location', 200)]),
	{
		logicalName: 'activityparty',
		entitySet: 'activityparties',
		primaryId: 'activitypartyid',
		primaryName: 'partyid',
		alternateKeys: [],
		attributes: [
			id('activitypartyid', 'Activity Party'),
			lookup('activityid', 'Activity', ['phonecall', 'task', 'appointment']),
			lookup('partyid', 'Party', ['account', 'contact', 'lead', 'systemuser']),
			{
				name: 'participationtypemask',
				label: 'Participation Type',
				type: 'Picklist',
				options: [
					[1, 'Sender'],
					[2, 'To Recipient'],
					[3, 'CC Recipient'],
					[5, 'Required attendee'],
					[6, 'Optional attendee'],
					[7, 'Organizer'],
					[8, 'Regarding'],
					[9, 'Owner'],
				],
			},
		],
		navigation: ['account', 'contact', 'lead', 'systemuser'].map((target) =>
			nav(`partyid_${target}`, 'partyid', target),
		),
	},
	{
		logicalName: 'list',
		entitySet: 'lists',
		primaryId: 'listid',
		primaryName: 'listname',
		alternateKeys: [],
		attributes: [
			id('listid', 'List'),
			text('listname', 'Name', 128, { required: 'ApplicationRequired', primaryName: true }),
			{
				name: 'createdfromcode',
				label: 'Targeted At',
				type: 'Picklist',
				options: [
					[1, 'Account'],
					[2, 'Contact'],
					[4, 'Lead'],
				],
			},
			{ name: 'type', label: 'Type (dynamic)', type: 'Boolean' },
			...system(),
		],
		navigation: [owner()],
	},
	viewTable('savedquery', 'savedqueries', 'View'),
	viewTable('userquery', 'userqueries', 'Saved View'),

	{
		logicalName: 'listmember',
		entitySet: 'listmembers',
		primaryId: 'listmemberid',
		primaryName: 'listmemberid',
		alternateKeys: [],
		attributes: [
			id('listmemberid', 'List Member'),
			lookup('listid', 'List', ['list']),
			lookup('entityid', 'Member', ['account', 'contact', 'lead']),
			text('entitytype', 'Entity Type', 100, { readOnly: true }),
			datetime('createdon', 'Created On', { readOnly: true }),
		],
		navigation: [],
	},
	{
		logicalName: 'systemuser',
		entitySet: 'systemusers',
		primaryId: 'systemuserid',
		primaryName: 'fullname',
		alternateKeys: [],
		attributes: [
			id('systemuserid', 'User'),
			text('firstname', 'First Name', 64),
			text('lastname', 'Last Name', 64),
			text('fullname', 'Full Name', 200, { readOnly: true, primaryName: true }),
			text('internalemailaddress', 'Primary Email', 100, { format: 'Email' }),
			text('domainname', 'User Name', 1024),
			{ name: 'isdisabled', label: 'Status', type: 'Boolean' },
			datetime('createdon', 'Created On', { readOnly: true }),
			datetime('modifiedon', 'Modified On', { readOnly: true }),
		],
		navigation: [],
	},
];

export function entityByLogicalName(name: string): DataverseEntity | undefined {
	return ENTITIES.find((entity) => entity.logicalName === name.toLowerCase());
}

export function entityBySet(set: string): DataverseEntity | undefined {
	return ENTITIES.find((entity) => entity.entitySet === set.toLowerCase());
}

/** The tables whose rows share one primary-key space: activities are all activitypointer rows. */
export function idSpaceOf(entity: DataverseEntity): DataverseEntity[] {
	return entity.primaryId === 'activityid'
		? ENTITIES.filter((candidate) => candidate.primaryId === 'activityid')
		: [entity];
}

export function attributeOf(entity: DataverseEntity, name: string): DataverseAttribute | undefined {
	return entity.attributes.find((attribute) => attribute.name === name);
}

export const isLookup = (attribute: DataverseAttribute): boolean =>
	['Lookup', 'Customer', 'Owner'].includes(attribute.type);

/** The Web API column name: `_x_value` for lookups, the logical name otherwise. */
export const columnName = (attribute: DataverseAttribute): string =>
	isLookup(attribute) ? `_${attribute.name}_value` : attribute.name;

/** The attribute behind a Web API column name (`_parentcustomerid_value` → parentcustomerid). */
export function attributeByColumn(
	entity: DataverseEntity,
	column: string,
): DataverseAttribute | undefined {
	const lookupMatch = /^_(.+)_value$/.exec(column);
	if (lookupMatch) {
		const attribute = attributeOf(entity, lookupMatch[1]);
		return attribute && isLookup(attribute) ? attribute : undefined;
	}
	const attribute = attributeOf(entity, column);
	return attribute && !isLookup(attribute) ? attribute : undefined;
}
