/**
 * "Test connection" the way n8n 2.41's CredentialsTester runs it (n8n cli
 * `services/credentials-tester.service`), which this repo does not install, so its lookup
 * is repeated here step by step:
 *
 *  1. the credential type's own `test` request wins;
 *  2. otherwise n8n walks the nodes that list the credential (package order); an OAuth2 type
 *     only checks that a token is stored; the first slot with a string `testedBy` makes n8n
 *     call that node's `methods.credentialTest[testedBy]` — with n8n-core's real
 *     CredentialTestContext (its `helpers.request` is n8n's outbound HTTP client);
 *  3. nothing found: "No testing function found for this credential."
 *
 * Credential data gets its defaults first (applyCredentialDefaults). A request test answers
 * like n8n's runRequestTest: OK, or the HTTP status text of a non-2xx answer.
 */
import { CredentialTestContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunction,
	ICredentialType,
	INodeCredentialTestResult,
	INodeType,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { applyCredentialDefaults, runCredentialTest } from './n8nCredentials';

export type FoundTest =
	| { kind: 'request' }
	| { kind: 'oauth2-token-present' }
	| { kind: 'function'; node: string; testedBy: string; fn: ICredentialTestFunction | undefined }
	| { kind: 'none' };

/** Step 1–3 above; `nodes` in the order n8n loads them (package.json `n8n.nodes`). */
export function findCredentialTest(
	type: ICredentialType,
	nodes: ReadonlyArray<[name: string, node: INodeType]>,
): FoundTest {
	if (type.test) return { kind: 'request' };
	for (const [name, node] of nodes) {
		for (const slot of node.description.credentials ?? []) {
			if (slot.name !== type.name) continue;
			if (type.extends?.includes('oAuth2Api')) return { kind: 'oauth2-token-present' };
			if (typeof slot.testedBy === 'string')
				return {
					kind: 'function',
					node: name,
					testedBy: slot.testedBy,
					fn: node.methods?.credentialTest?.[slot.testedBy],
				};
		}
	}
	return { kind: 'none' };
}

export async function testCredentialLikeN8n(
	type: ICredentialType,
	stored: ICredentialDataDecryptedObject,
	nodes: ReadonlyArray<[name: string, node: INodeType]>,
): Promise<INodeCredentialTestResult> {
	const found = findCredentialTest(type, nodes);
	switch (found.kind) {
		case 'request': {
			const response = await runCredentialTest(type, stored);
			await response.arrayBuffer();
			return response.ok
				? { status: 'OK', message: 'Connection successful!' }
				: {
						status: 'Error',
						message: response.statusText || `Received HTTP status code: ${response.status}`,
					};
		}
		case 'function': {
			if (!found.fn)
				throw new Error(
					`n8n would fail: node ${found.node} has no methods.credentialTest.${found.testedBy}`,
				);
			const data = await applyCredentialDefaults(type, stored);
			const context = new CredentialTestContext({} as IWorkflowExecuteAdditionalData);
			return await found.fn.call(context, {
				id: 'credential-under-test',
				name: 'Credential under test',
				type: type.name,
				data,
			});
		}
		case 'oauth2-token-present':
			return stored.oauthTokenData
				? { status: 'OK', message: 'Connection Successful!' }
				: { status: 'Error', message: 'OAuth credentials not connected' };
		case 'none':
			return { status: 'Error', message: 'No testing function found for this credential.' };
	}
}
