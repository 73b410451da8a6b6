export { createAutochatProvider } from './AutochatProvider';
export type { AutochatProviderOptions } from './AutochatProvider';
