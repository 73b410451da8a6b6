/**
 * Builds every workflow template into workflows-templates/*.json.
 *
 *   npx tsx scripts/templates/build.ts          write the files
 *   npx tsx scripts/templates/build.ts --check  exit 1 when a file differs from what the builder makes
 *
 * The resource-mapper schemas of the Field Merge nodes are read from the CRM sandbox in its
 * `standard` mode (only the vendors' standard fields), through the pack's own providers.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import type { CrmName, ObjectKind } from '../../nodes/shared/model';
import { loadFieldSchemas } from './fieldSchemas';
import type { WorkflowJson } from './workflow';
import { callProcessed } from './workflows/callProcessed';
import { autochatWebhook } from './workflows/autochatClientSync';
import { inboundContacts } from './workflows/contactStores';
import { hubspotSalesforceSync } from './workflows/hubspotSalesforceSync';
import { inboundCallLookup } from './workflows/inboundCallLookup';
import { postCallAnalysis } from './workflows/postCallAnalysis';
import { qualifiedLeadSync } from './workflows/qualifiedLeadSync';
import { scheduledUpdates } from './workflows/scheduledUpdates';
import { timelineToTasks } from './workflows/timelineToTasks';

export const TEMPLATES_DIR = resolve(__dirname, '..', '..', 'workflows-templates');

/** The objects the templates' Field Merge nodes write. */
const MERGED_OBJECTS: Array<[CrmName, ObjectKind]> = [
	['hubspot', 'contact'],
	['salesforce', 'lead'],
	['dynamics', 'contact'],
	['autochat', 'contact'],
];

/** File name → workflow, as the builder makes them. */
export async function buildTemplates(): Promise<Map<string, WorkflowJson>> {
	const schemas = await loadFieldSchemas(MERGED_OBJECTS);
	return new Map<string, WorkflowJson>([
		['call-processed-to-crm.json', callProcessed('notes')],
		['call-processed-to-crm-meetings.json', callProcessed('meetings')],
		['post-call-analysis-to-crm.json', postCallAnalysis(schemas)],
		['crm-contacts-inbound-sync.json', inboundContacts()],
		['autochat-crm-webhook-sync.json', autochatWebhook(schemas)],
		['qualified-lead-sync.json', qualifiedLeadSync(schemas)],
		['scheduled-crm-updates.json', scheduledUpdates(schemas)],
		['inbound-call-contact-lookup.json', inboundCallLookup()],
		['hubspot-timeline-to-salesforce-tasks.json', timelineToTasks()],
		['hubspot-salesforce-sync.json', hubspotSalesforceSync(schemas)],
	]);
}

export const templateText = (workflow: WorkflowJson): string =>
	`${JSON.stringify(workflow, null, 2)}\n`;

async function main(): Promise<void> {
	const check = process.argv.includes('--check');
	const stale: string[] = [];
	for (const [file, workflow] of await buildTemplates()) {
		const path = join(TEMPLATES_DIR, file);
		const text = templateText(workflow);
		if (check) {
			const current = await readFile(path, 'utf8').catch(() => '');
			if (current !== text) stale.push(file);
		} else {
			await writeFile(path, text);
		}
	}
	if (stale.length) {
		process.stderr.write(
			`Out of date (run npx tsx scripts/templates/build.ts): ${stale.join(', ')}\n`,
		);
		process.exit(1);
	}
}

if (require.main === module) {
	main().catch((error: unknown) => {
		process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		process.exit(1);
	});
}
