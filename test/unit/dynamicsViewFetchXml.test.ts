/** The page FetchXML built from a Dynamics 365 view (filters kept, id order and key cursor added). */
import { viewPageFetchXml } from '../../nodes/shared/providers/dynamics/viewFetchXml';

const VIEW =
	'<fetch version="1.0" mapping="logical" count="50" page="2" paging-cookie="&lt;cookie/&gt;"><entity name="contact"><attribute name="fullname" /><all-attributes /><order attribute="fullname" descending="false" /><filter type="and"><condition attribute="statecode" operator="eq" value="0" /></filter><link-entity name="account" from="accountid" to="parentcustomerid"><attribute name="name" /><filter><condition attribute="name" operator="like" value="%Acme%" /></filter></link-entity></entity></fetch>';

const page = (fetchXml: string, after?: string, entity = 'contact') =>
	viewPageFetchXml({
		fetchXml,
		entity,
		primaryId: `${entity}id`,
		limit: 100,
		...(after ? { after } : {}),
	});

describe('viewPageFetchXml', () => {
	it('keeps filters and joins, selects and orders by the primary id, pages by count and cursor', () => {
		expect(page(VIEW, '0B9A7E52-0000-4000-8000-000000000001')).toEqual({
			fetchXml:
				'<fetch version="1.0" mapping="logical" count="100"><entity name="contact"><attribute name="contactid" /><order attribute="contactid" descending="false" /><filter type="and"><condition attribute="contactid" operator="gt" value="0b9a7e52-0000-4000-8000-000000000001" /></filter><filter type="and"><condition attribute="statecode" operator="eq" value="0" /></filter><link-entity name="account" from="accountid" to="parentcustomerid"><filter><condition attribute="name" operator="like" value="%Acme%" /></filter></link-entity></entity></fetch>',
		});
		const first = page(VIEW);
		expect('fetchXml' in first && first.fetchXml).not.toContain('operator="gt"');
	});

	it('refuses a view of another table, an aggregate and text that is not FetchXML; a cursor must be a GUID', () => {
		expect(page(VIEW, undefined, 'lead')).toEqual({ error: 'it lists contact rows, not lead' });
		expect(
			page(
				'<fetch aggregate="true"><entity name="contact"><attribute name="contactid" aggregate="count" alias="n" /></entity></fetch>',
			),
		).toEqual({ error: 'it aggregates its rows' });
		expect(page('SELECT * FROM contact')).toEqual({ error: 'its query is not FetchXML' });
		expect(() => page(VIEW, "x' or 1=1")).toThrow('is not a GUID');
	});
});
