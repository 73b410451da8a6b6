export { createSalesforceProvider } from './SalesforceProvider';
export type { SalesforceProviderOptions } from './SalesforceProvider';
export type { NoteStyle } from './activities';
