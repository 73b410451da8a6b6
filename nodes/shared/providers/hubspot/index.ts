export { createHubSpotProvider, DEFAULT_HUBSPOT_API_BASE_URL } from './HubSpotProvider';
export type { HubSpotProviderOptions } from './HubSpotProvider';
