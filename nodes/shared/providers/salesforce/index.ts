export { createSalesforceProvider, SALESFORCE_CAPABILITIES } from './SalesforceProvider';
export type { SalesforceProviderOptions } from './SalesforceProvider';
export type { NoteStyle } from './activities';
