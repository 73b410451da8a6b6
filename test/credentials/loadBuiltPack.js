// Loads the built pack with n8n-core's PackageDirectoryLoader in its own process and prints
// what n8n sees. A child process: loading the pack's real SDKs inside a jest worker would
// leave them (and their HTTP agents) behind for the next test files.
const { PackageDirectoryLoader } = require('n8n-core');

(async () => {
	const loader = new PackageDirectoryLoader(process.argv[2]);
	await loader.loadAll();
	const nodes = Object.entries(loader.nodeTypes).map(([name, entry]) => {
		const description = entry.type.description;
		return {
			name,
			codexCategories: description.codex?.categories ?? [],
			iconUrl: description.iconUrl,
		};
	});
	const credentials = Object.entries(loader.credentialTypes).map(([name, entry]) => ({
		name,
		extends: entry.type.extends ?? [],
		iconUrl: entry.type.iconUrl,
		hasTestRequest: entry.type.test !== undefined,
		// What n8n's credential tester walks when there is no test request: the supported nodes
		// the loader inferred, each with the slot's testedBy and whether the node offers it.
		supportedNodes: (loader.known.credentials[name].supportedNodes ?? []).map((node) => {
			const type = loader.nodeTypes[node].type;
			const slot = (type.description.credentials ?? []).find(
				(candidate) => candidate.name === name,
			);
			const testedBy = slot && typeof slot.testedBy === 'string' ? slot.testedBy : undefined;
			return {
				node,
				testedBy,
				offersTest:
					testedBy !== undefined && typeof type.methods?.credentialTest?.[testedBy] === 'function',
			};
		}),
	}));
	process.stdout.write(
		JSON.stringify({ nodes, credentials, knownNodes: Object.keys(loader.known.nodes) }),
	);
})().catch((error) => {
	process.stderr.write(String(error && error.stack ? error.stack : error));
	process.exit(1);
});
