export { createAutochatProvider, AUTOCHAT_CAPABILITIES } from './AutochatProvider';
export type { AutochatProviderOptions } from './AutochatProvider';
