/**
 * "Which matched records receive this?" — the object types, the routing mode and the
 * priority order, shared by every node that writes activities to linked records.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { RoutingMode } from '../logic/routing';
import type { CrmName, ObjectKind } from '../model';
import { matchedObjectTypeParameters, priorityParameters } from './objectTypes';
import { batchParameter } from '../node/batchParameter';

export function targetParameters(
	crms: readonly CrmName[],
	texts: { displayName: string; description: string },
	show: Record<string, string[]> = {},
	hideRouting: Record<string, string[]> = {},
): INodeProperties[] {
	return [
		...matchedObjectTypeParameters(crms, { name: 'targetObjectTypes', ...texts, extraShow: show }),
		{
			displayName: 'When Several Object Types Match',
			name: 'routing',
			type: 'options',
			// Routing shapes the batch's one write: the same for every item.
			noDataExpression: true,
			options: [
				{
					name: 'Send to One Object Type',
					value: 'oneType',
					description:
						'The first type in the priority order that matched wins; all of its matches are used',
				},
				{
					name: 'Send to All Matching Object Types',
					value: 'allTypes',
					description: 'Every selected type that matched is used',
				},
			],
			default: 'oneType',
			displayOptions: {
				...(Object.keys(show).length ? { show } : {}),
				...(Object.keys(hideRouting).length ? { hide: hideRouting } : {}),
			},
		},
		...priorityParameters(crms, show),
	];
}

export interface TargetSettings {
	targetKinds: ObjectKind[];
	mode: RoutingMode;
	priority: ObjectKind[];
}

export function readTargetSettings(ctx: IExecuteFunctions, forceOneType = false): TargetSettings {
	const priority = batchParameter<Array<{ objectType: ObjectKind }>>(
		ctx,
		'priority.entries',
		'Priority Order',
		[],
	);
	return {
		targetKinds: ctx.getNodeParameter('targetObjectTypes', 0, []) as ObjectKind[],
		mode: forceOneType ? 'oneType' : (ctx.getNodeParameter('routing', 0, 'oneType') as RoutingMode),
		priority: priority.map((p) => p.objectType),
	};
}
