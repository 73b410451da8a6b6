export { createDynamicsProvider, type DynamicsProviderOptions } from './DynamicsProvider';
export {
	fetchDynamicsHttp,
	type DynamicsHttp,
	type DynamicsHttpRequest,
	type DynamicsHttpResponse,
} from './http';
export { n8nDynamicsHttp } from './n8nHttp';
