import { createHash } from 'node:crypto';

/**
 * The runtime folder's package.json, exactly as verified in /work/shared/notes/n8n-runtime.md:
 * n8n 2.41.1 (the newest whose pinned @n8n/* packages all exist in the registry) and Node 24
 * from npm, linkedom pinned below the release that needs a missing package, and install
 * scripts allowed only for what must build (the Kafka client's build fails and aborts npm).
 */
export const N8N_VERSION = '2.41.1';
export const NODE_VERSION = '24.21.0';

export const runtimePackageJson = {
	name: 'n8n-runtime',
	private: true,
	description: 'Throwaway n8n runtime for the demo and e2e tests (generated; do not edit).',
	dependencies: { n8n: N8N_VERSION, node: NODE_VERSION },
	overrides: { linkedom: '0.18.14' },
	allowScripts: {
		node: true,
		sqlite3: true,
		'isolated-vm': true,
		'@confluentinc/kafka-javascript': false,
		'@parcel/watcher': false,
		'@scarf/scarf': false,
		'@sentry/node-cpu-profiler': false,
		'@sentry/node-native-stacktrace': false,
		'agent-browser': false,
		'cpu-features': false,
		'msgpackr-extract': false,
		oracledb: false,
		protobufjs: false,
		ssh2: false,
		'vue-demi': false,
	},
} as const;

export function runtimePackageText(): string {
	return JSON.stringify(runtimePackageJson, null, 2) + '\n';
}

export function hashText(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}
