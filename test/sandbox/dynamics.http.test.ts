/**
 * The Dataverse sandbox at the HTTP level: OData `$filter` literals and like-escapes
 * (property-tested against the pack's own escapers), paging links, conditional writes,
 * `@odata.bind` validation, metadata casts and `$batch` change-set atomicity, with the
 * `$batch` answer read by the provider's own multipart parser.
 */
import fc from 'fast-check';

import { encodeODataFilter, escapeODataLike, odataLiteral } from '../../nodes/shared/logic/escape';
import { parseBatchResponse } from '../../nodes/shared/providers/dynamics/batch';
import { clientCredentialsToken, localNetworkOnly } from './helpers';
import { startSandbox, type SandboxHandle } from './server';
import { DYNAMICS_API_USER_ID, DYNAMICS_SEED_IDS } from './vendors/dynamics';

interface Answer<T> {
	status: number;
	headers: Headers;
	body: T;
	text: string;
}
type Collection = { value: Array<Record<string, unknown>>; '@odata.nextLink'?: string };
type ErrorBody = { error: { code: string; message: string } };

describe('Dataverse sandbox over HTTP', () => {
	localNetworkOnly();
	let sandbox: SandboxHandle;
	let token: string;
	const root = () => `${sandbox.url}/api/data/v9.2/`;

	async function send<T = unknown>(
		path: string,
		init: { method?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
	): Promise<Answer<T>> {
		const headers: Record<string, string> = {
			Authorization: `Bearer ${token}`,
			Accept: 'application/json',
			'OData-Version': '4.0',
			...init.headers,
		};
		let body: string | undefined = init.raw;
		if (init.body !== undefined) {
			headers['Content-Type'] = 'application/json';
			body = JSON.stringify(init.body);
		}
		const response = await fetch(path.startsWith('http') ? path : `${root()}${path}`, {
			method: init.method ?? (body ? 'POST' : 'GET'),
			headers,
			body,
		});
		const text = await response.text();
		const json =
			response.headers.get('content-type')?.includes('json') && text
				? (JSON.parse(text) as T)
				: (undefined as T);
		return { status: response.status, headers: response.headers, body: json, text };
	}
	const filter = (set: string, expression: string, extra = '') =>
		send<Collection & ErrorBody>(`${set}?$filter=${encodeODataFilter(expression)}${extra}`);

	beforeAll(async () => {
		sandbox = await startSandbox();
		token = await clientCredentialsToken(sandbox.url, 'dynamics');
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.admin.seed('dynamics'));

	it('reads string literals and like-patterns exactly as the pack escapes them', async () => {
		await fc.assert(
			fc.asyncProperty(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), async (text) => {
				const [stored] = sandbox.admin.putRecords('dynamics', 'contact', [
					{ lastname: text, jobtitle: 'property' },
				]);
				const equal = await filter(
					'contacts',
					`jobtitle eq 'property' and lastname eq ${odataLiteral(text)}`,
					'&$select=lastname',
				);
				const contains = await filter(
					'contacts',
					`jobtitle eq 'property' and contains(lastname,'${escapeODataLike(text)}')`,
					'&$select=lastname',
				);
				sandbox.admin.seed('dynamics');
				expect(equal.status).toBe(200);
				expect(equal.body.value.map((row) => row.contactid)).toContain(stored.id);
				expect(
					equal.body.value.every(
						(row) => String(row.lastname).toLowerCase() === text.toLowerCase(),
					),
				).toBe(true);
				expect(contains.body.value.map((row) => row.contactid)).toContain(stored.id);
			}),
			{ numRuns: 40 },
		);
	});

	it('evaluates the OData operators the pack sends and refuses what Dataverse refuses', async () => {
		sandbox.admin.putRecords('dynamics', 'account', [
			{ name: '100% Cotton' },
			{ name: '100 Percent' },
		]);
		const names = async (expression: string) =>
			(await filter('accounts', expression, '&$select=name&$orderby=name desc')).body.value.map(
				(row) => row.name,
			);

		expect(await names("startswith(name,'100%')")).toEqual(['100% Cotton', '100 Percent']);
		expect(await names("startswith(name,'100[%]')")).toEqual(['100% Cotton']);
		expect(
			await names(
				`_ownerid_value eq ${DYNAMICS_API_USER_ID} and not (contains(websiteurl,'acme') or telephone1 eq null)`,
			),
		).toEqual(['Initech', 'Globex Ltd']);
		const contacts = await filter(
			'contacts',
			"lastname eq 'O''Brien' or (mobilephone ne null and createdon le 2026-01-05T09:00:00Z)",
			'&$select=fullname&$orderby=fullname',
		);
		expect(contacts.body.value.map((row) => row.fullname)).toEqual([
			'Bob Ramirez',
			"Dan O'Brien",
			'Erin Schulz',
		]);
		const open = await filter(
			'opportunities',
			`statecode eq 0 and _parentaccountid_value eq ${DYNAMICS_SEED_IDS.accounts.acme} and estimatedvalue gt 20000`,
		);
		expect(open.body.value.map((row) => row.opportunityid)).toEqual([
			DYNAMICS_SEED_IDS.opportunities['acme-expansion'],
		]);

		const quotedGuid = await filter(
			'contacts',
			`_parentcustomerid_value eq '${DYNAMICS_SEED_IDS.accounts.acme}'`,
		);
		expect(quotedGuid.status).toBe(400);
		expect(quotedGuid.body.error.message).toContain('incompatible types');
		const unknown = await send<ErrorBody>('contacts?$select=nickname');
		expect(unknown.status).toBe(400);
		expect(unknown.body.error).toMatchObject({ code: '0x80060888' });
	});

	it('filters on the columns of the row a lookup points to (single-valued navigation), and refuses unknown ones', async () => {
		const ids = (answer: { body: Collection }) =>
			answer.body.value.map((row) => row.opportunityid).sort();
		const byAccountSite = await filter(
			'opportunities',
			"contains(parentaccountid/websiteurl,'acme.example') and statecode eq 0",
			'&$select=opportunityid',
		);
		expect(byAccountSite.status).toBe(200);
		expect(ids(byAccountSite)).toEqual(
			[
				DYNAMICS_SEED_IDS.opportunities['acme-expansion'],
				DYNAMICS_SEED_IDS.opportunities['acme-renewal'],
			].sort(),
		);
		const byContactEmail = await filter(
			'opportunities',
			"parentcontactid/emailaddress1 eq 'nobody@nowhere.example'",
		);
		expect(byContactEmail.body.value).toEqual([]);
		const unknownColumn = await filter('opportunities', "parentaccountid/nickname eq 'x'");
		expect(unknownColumn.status).toBe(400);
		const notNavigation = await filter('opportunities', "somewhere/name eq 'x'");
		expect(notNavigation.status).toBe(400);
	});

	it('pages with odata.maxpagesize and a nextLink under the same service root', async () => {
		const first = await send<Collection>('contacts?$select=fullname&$orderby=createdon,contactid', {
			headers: { Prefer: 'odata.maxpagesize=4' },
		});
		expect(first.body.value).toHaveLength(4);
		expect(first.headers.get('preference-applied')).toBe('odata.maxpagesize=4');
		expect(first.body['@odata.nextLink']).toMatch(
			new RegExp(`^${root().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}contacts\\?.*\\$skiptoken=`),
		);
		const second = await send<Collection>(first.body['@odata.nextLink']!, {
			headers: { Prefer: 'odata.maxpagesize=4' },
		});
		expect(second.body.value).toHaveLength(2);
		expect(second.body['@odata.nextLink']).toBeUndefined();
	});

	it('creates, updates conditionally and validates binds with Dataverse status codes', async () => {
		const created = await send('contacts', {
			body: {
				lastname: 'New',
				'parentcustomerid_account@odata.bind': `/accounts(${DYNAMICS_SEED_IDS.accounts.globex})`,
			},
		});
		expect(created.status).toBe(204);
		const entityId = created.headers.get('odata-entityid')!;
		expect(entityId).toMatch(
			new RegExp(`^${root().replace(/[.]/g, '\\.')}contacts\\([0-9a-f-]{36}\\)$`),
		);
		const id = /\(([^)]+)\)$/.exec(entityId)![1];

		const represented = await send<Record<string, unknown>>(
			`contacts(${id})?$select=fullname,_parentcustomerid_value`,
			{
				method: 'PATCH',
				body: { firstname: 'Brand' },
				headers: { Prefer: 'return=representation,odata.include-annotations="*"' },
			},
		);
		expect(represented.status).toBe(200);
		expect(represented.body).toMatchObject({
			fullname: 'Brand New',
			_parentcustomerid_value: DYNAMICS_SEED_IDS.accounts.globex,
			'_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'account',
		});

		const missing = await send<ErrorBody>('contacts(00000000-0000-4000-8000-00000000abcd)', {
			method: 'PATCH',
			body: { lastname: 'x' },
			headers: { 'If-Match': '*' },
		});
		expect(missing.status).toBe(404);
		expect(missing.body.error.code).toBe('0x80040217');
		const exists = await send<ErrorBody>(`contacts(${id})`, {
			method: 'PATCH',
			body: { lastname: 'x' },
			headers: { 'If-None-Match': '*' },
		});
		expect(exists.status).toBe(412);

		const badNavigation = await send<ErrorBody>('annotations', {
			body: { notetext: 'x', 'objectid_widget@odata.bind': `/contacts(${id})` },
		});
		expect(badNavigation.status).toBe(400);
		expect(badNavigation.body.error.message).toContain("undeclared property 'objectid_widget'");
		const wrongTarget = await send<ErrorBody>('annotations', {
			body: {
				notetext: 'x',
				'objectid_contact@odata.bind': `/accounts(${DYNAMICS_SEED_IDS.accounts.acme})`,
			},
		});
		expect(wrongTarget.status).toBe(400);
		const absent = await send<ErrorBody>('phonecalls', {
			body: {
				subject: 'x',
				'regardingobjectid_contact_phonecall@odata.bind':
					'/contacts(00000000-0000-4000-8000-00000000dead)',
			},
		});
		expect(absent.status).toBe(404);
		const badOption = await send<ErrorBody>('tasks', { body: { subject: 'x', prioritycode: 7 } });
		expect(badOption.body.error.code).toBe('0x80044331');
	});

	it('creates with a client-chosen id once: upsert with If-None-Match (412), POST with the id (duplicate key), one id space for activities, parties only on POST', async () => {
		const alice = DYNAMICS_SEED_IDS.contacts.alice;
		const id = '5a000000-0000-5000-8000-000000000001';
		const task = {
			subject: 'Call back',
			'regardingobjectid_contact_task@odata.bind': `/contacts(${alice})`,
		};

		const createdOnce = await send(`tasks(${id})`, {
			method: 'PATCH',
			body: task,
			headers: { 'If-None-Match': '*' },
		});
		expect(createdOnce.status).toBe(204);
		expect(createdOnce.headers.get('odata-entityid')).toBe(`${root()}tasks(${id})`);
		const again = await send<ErrorBody>(`tasks(${id})`, {
			method: 'PATCH',
			body: { ...task, subject: 'Overwritten?' },
			headers: { 'If-None-Match': '*' },
		});
		// The documented answer: 412 with an empty code; the stored row is left alone.
		expect(again.status).toBe(412);
		expect(again.body).toEqual({
			error: { code: '', message: 'A record with matching key values already exists.' },
		});
		expect(sandbox.store.get('dynamics', 'task', id)?.fields.subject).toBe('Call back');
		const updateOnly = await send<ErrorBody>('tasks(5a000000-0000-5000-8000-0000000000ff)', {
			method: 'PATCH',
			body: task,
			headers: { 'If-Match': '*' },
		});
		expect(updateOnly.status).toBe(404);
		expect(
			sandbox.store.get('dynamics', 'task', '5a000000-0000-5000-8000-0000000000ff'),
		).toBeUndefined();

		const callId = '5a000000-0000-5000-8000-000000000002';
		const call = {
			subject: 'Call',
			activityid: callId,
			phonecall_activity_parties: [
				{ 'partyid_contact@odata.bind': `/contacts(${alice})`, participationtypemask: 2 },
			],
		};
		expect((await send('phonecalls', { body: call })).status).toBe(204);
		const duplicate = await send<ErrorBody>('phonecalls', { body: call });
		expect(duplicate.status).toBe(412);
		expect(duplicate.body.error.code).toBe('0x80040237');
		// Phone calls, tasks and appointments are all activitypointer rows: one id space.
		const sameIdOtherTable = await send<ErrorBody>('appointments', {
			body: { subject: 'Meeting', activityid: id },
		});
		expect(sameIdOtherTable.body.error.code).toBe('0x80040237');
		expect(
			sandbox.store
				.list('dynamics', 'activityparty')
				.filter((party) => party.fields._activityid_value === callId),
		).toHaveLength(1);

		const partiesOnPatch = await send<ErrorBody>(
			'phonecalls(5a000000-0000-5000-8000-000000000003)',
			{
				method: 'PATCH',
				body: { ...call, activityid: undefined },
				headers: { 'If-None-Match': '*' },
			},
		);
		expect(partiesOnPatch.status).toBe(400);
		expect(partiesOnPatch.body.error.message).toContain('deep-inserted with POST');
	});

	it('describes option sets through the metadata casts', async () => {
		const path =
			"EntityDefinitions(LogicalName='opportunity')/Attributes/Microsoft.Dynamics.CRM.StatusAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options),GlobalOptionSet($select=Options)";
		const statuses = await send<{
			value: Array<{
				LogicalName: string;
				OptionSet: {
					Options: Array<{ Value: number; Label: { UserLocalizedLabel: { Label: string } } }>;
				};
				GlobalOptionSet: null;
			}>;
		}>(path);
		expect(statuses.body.value).toHaveLength(1);
		expect(
			statuses.body.value[0].OptionSet.Options.map((o) => [
				o.Value,
				o.Label.UserLocalizedLabel.Label,
			]),
		).toContainEqual([3, 'Won']);
		expect(statuses.body.value[0].GlobalOptionSet).toBeNull();
		const definition = await send<Record<string, unknown>>(
			"EntityDefinitions(LogicalName='phonecall')?$select=LogicalName,EntitySetName,PrimaryIdAttribute",
		);
		expect(definition.body).toMatchObject({
			EntitySetName: 'phonecalls',
			PrimaryIdAttribute: 'activityid',
		});
		const who = await send<Record<string, unknown>>('WhoAmI');
		expect(who.body.UserId).toBe(DYNAMICS_API_USER_ID);
	});

	it('runs $batch change sets atomically and answers in the multipart form the provider parses', async () => {
		const boundary = 'batch_test';
		const part = (lines: string[]) => [
			'Content-Type: application/http',
			'Content-Transfer-Encoding: binary',
			...lines,
		];
		const body = [
			`--${boundary}`,
			'Content-Type: multipart/mixed; boundary=changeset_ok',
			'',
			'--changeset_ok',
			...part([
				'Content-ID: 1',
				'',
				`POST ${root()}accounts HTTP/1.1`,
				'Content-Type: application/json; type=entry',
				'',
				JSON.stringify({ name: 'Batch Co' }),
			]),
			'--changeset_ok',
			...part([
				'Content-ID: 2',
				'',
				'POST $1/Account_Tasks HTTP/1.1',
				'Content-Type: application/json; type=entry',
				'',
				JSON.stringify({ subject: 'never' }),
			]),
			'--changeset_ok--',
			`--${boundary}`,
			'Content-Type: multipart/mixed; boundary=changeset_good',
			'',
			'--changeset_good',
			...part([
				'Content-ID: 3',
				'',
				'POST /api/data/v9.2/accounts HTTP/1.1',
				'Content-Type: application/json; type=entry',
				'',
				JSON.stringify({ name: 'Second Co' }),
			]),
			'--changeset_good--',
			`--${boundary}`,
			...part([
				'',
				`GET accounts?$select=name&$filter=${encodeODataFilter("startswith(name,'Batch') or startswith(name,'Second')")} HTTP/1.1`,
				'Accept: application/json',
				'',
				'',
			]),
			`--${boundary}--`,
			'',
		].join('\r\n');

		const answer = await send('$batch', {
			raw: body,
			headers: {
				'Content-Type': `multipart/mixed; boundary=${boundary}`,
				Prefer: 'odata.continue-on-error',
			},
		});

		expect(answer.status).toBe(200);
		const entries = parseBatchResponse(answer.headers.get('content-type')!, answer.text);
		expect(entries.map((entry) => entry.kind)).toEqual(['single', 'changeset', 'single']);
		// The first change set failed on its second part and was rolled back entirely.
		expect(entries[0]).toMatchObject({ kind: 'single', response: { status: 404 } });
		expect(entries[1]).toMatchObject({
			kind: 'changeset',
			responses: [{ status: 204, contentId: '3' }],
		});
		const read =
			entries[2].kind === 'single'
				? (JSON.parse(entries[2].response.body) as Collection)
				: { value: [] };
		expect(read.value.map((row) => row.name)).toEqual(['Second Co']);

		const stopped = await send('$batch', {
			raw: body.replace(/changeset_good/g, 'changeset_x'),
			headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}` },
		});
		expect(parseBatchResponse(stopped.headers.get('content-type')!, stopped.text)).toHaveLength(1);
	});

	it('answers a create-once inside a $batch change set like a single request: created, then 412, the other change sets still run', async () => {
		const boundary = 'batch_once';
		const id = '5a000000-0000-5000-8000-000000000010';
		const changeset = (name: string, lines: string[]) => [
			`--${boundary}`,
			`Content-Type: multipart/mixed; boundary=${name}`,
			'',
			`--${name}`,
			'Content-Type: application/http',
			'Content-Transfer-Encoding: binary',
			'Content-ID: 1',
			'',
			...lines,
			`--${name}--`,
		];
		const upsert = [
			`PATCH ${root()}annotations(${id}) HTTP/1.1`,
			'If-None-Match: *',
			'Content-Type: application/json; type=entry',
			'',
			JSON.stringify({ subject: 'Note', notetext: 'x' }),
		];
		const body = (second: string) =>
			[
				...changeset('cs_a', upsert),
				...changeset('cs_b', [
					`POST ${root()}tasks HTTP/1.1`,
					'Content-Type: application/json; type=entry',
					'',
					JSON.stringify({ subject: second }),
				]),
				`--${boundary}--`,
				'',
			].join('\r\n');
		const headers = {
			'Content-Type': `multipart/mixed; boundary=${boundary}`,
			Prefer: 'odata.continue-on-error',
		};

		const first = await send('$batch', { raw: body('First'), headers });
		const second = await send('$batch', { raw: body('Second'), headers });

		expect(parseBatchResponse(first.headers.get('content-type')!, first.text)).toMatchObject([
			{ kind: 'changeset', responses: [{ status: 204 }] },
			{ kind: 'changeset', responses: [{ status: 204 }] },
		]);
		expect(parseBatchResponse(second.headers.get('content-type')!, second.text)).toMatchObject([
			{ kind: 'single', response: { status: 412 } },
			{ kind: 'changeset', responses: [{ status: 204 }] },
		]);
		expect(
			sandbox.store.list('dynamics', 'annotation').filter((note) => note.id === id),
		).toHaveLength(1);
	});
});
