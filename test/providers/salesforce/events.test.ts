import { enforceLeadRule, resolveWhoWhat } from '../../../nodes/shared/providers/salesforce/events';
import type { CrmRef } from '../../../nodes/shared/model';

const ref = (kind: CrmRef['kind'], id: string, objectType = ''): CrmRef => ({
	crm: 'salesforce',
	kind,
	objectType: objectType || kind,
	id,
});
const contact = ref('contact', '003A');
const contact2 = ref('contact', '003B');
const lead = ref('lead', '00QA');
const account = ref('company', '001A');
const deal = ref('deal', '006A');

describe('Salesforce WhoId/WhatId rule', () => {
	it('takes a contact as Who and prefers the opportunity over the account as What', () => {
		expect(resolveWhoWhat([account, contact, deal, contact2])).toEqual({
			WhoId: '003A',
			WhatId: '006A',
			unattached: [account, contact2],
		});
	});

	it('falls back to the account when there is no opportunity', () => {
		expect(resolveWhoWhat([account, contact])).toMatchObject({ WhoId: '003A', WhatId: '001A' });
	});

	it('never sets a What next to a Lead Who', () => {
		const result = resolveWhoWhat([lead, account, deal]);
		expect(result).toEqual({ WhoId: '00QA', unattached: [account, deal] });
		expect(result).not.toHaveProperty('WhatId');
	});

	it('prefers a contact over a lead, so the What can still be attached', () => {
		expect(resolveWhoWhat([lead, deal, contact])).toEqual({
			WhoId: '003A',
			WhatId: '006A',
			unattached: [lead],
		});
	});

	it('recognises a lead by its 00Q id prefix even when the ref says otherwise', () => {
		expect(resolveWhoWhat([ref('contact', '00QZ'), deal])).toEqual({
			WhoId: '00QZ',
			unattached: [deal],
		});
	});

	it('attaches only a What when there is no person', () => {
		expect(resolveWhoWhat([deal])).toEqual({ WhatId: '006A', unattached: [] });
		expect(resolveWhoWhat([])).toEqual({ unattached: [] });
	});

	it('strips a WhatId from an outgoing record whose WhoId is a lead, whatever put it there', () => {
		expect(enforceLeadRule({ Subject: 's', WhoId: '00Q1', WhatId: '0061' })).toEqual({
			Subject: 's',
			WhoId: '00Q1',
		});
		expect(enforceLeadRule({ WhoId: '0031', WhatId: '0061' })).toEqual({
			WhoId: '0031',
			WhatId: '0061',
		});
	});
});
