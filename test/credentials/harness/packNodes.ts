/** The pack's node types, in the order package.json registers them (the order n8n walks them). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeType } from 'n8n-workflow';

import { AutochatCrmTrigger } from '../../../nodes/AutochatCrmTrigger/AutochatCrmTrigger.node';
import { CrmActionItemsToTasks } from '../../../nodes/CrmActionItemsToTasks/CrmActionItemsToTasks.node';
import { CrmContactFieldMerge } from '../../../nodes/CrmContactFieldMerge/CrmContactFieldMerge.node';
import { CrmContactLookup } from '../../../nodes/CrmContactLookup/CrmContactLookup.node';
import { CrmLink } from '../../../nodes/CrmLink/CrmLink.node';
import { CrmMeetingWriter } from '../../../nodes/CrmMeetingWriter/CrmMeetingWriter.node';
import { CrmNoteRouter } from '../../../nodes/CrmNoteRouter/CrmNoteRouter.node';
import { CrmQualificationGate } from '../../../nodes/CrmQualificationGate/CrmQualificationGate.node';
import { CrmRecordSync } from '../../../nodes/CrmRecordSync/CrmRecordSync.node';
import { CrmSyncTrigger } from '../../../nodes/CrmSyncTrigger/CrmSyncTrigger.node';
import { CrmTimelineSync } from '../../../nodes/CrmTimelineSync/CrmTimelineSync.node';

const CLASSES: Record<string, new () => INodeType> = {
	AutochatCrmTrigger,
	CrmActionItemsToTasks,
	CrmContactFieldMerge,
	CrmContactLookup,
	CrmLink,
	CrmMeetingWriter,
	CrmNoteRouter,
	CrmQualificationGate,
	CrmRecordSync,
	CrmSyncTrigger,
	CrmTimelineSync,
};

export function packNodeTypes(): Array<[name: string, node: INodeType]> {
	const pkg = JSON.parse(
		readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'),
	) as { n8n: { nodes: string[] } };
	return pkg.n8n.nodes.map((file) => {
		const className = /([A-Za-z]+)\.node\.js$/.exec(file)?.[1] ?? file;
		const Class = CLASSES[className];
		if (!Class) throw new Error(`packNodes.ts does not know the node ${file}`);
		const node = new Class();
		return [node.description.name, node];
	});
}
