/**
 * "Which matched records receive this?" — the object types, the routing mode and the
 * priority order, shared by every node that writes activities to linked records.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { RoutingMode } from '../logic/routing';
import type { CrmName, ObjectKind } from '../model';
import { matchedObjectTypeParameters, priorityParameters } from './objectTypes';
import { batchParameter } from '../node/batchParameter';

/** Parameter names of one set of target settings (a node with two sets names the second apart). */
export interface TargetParameterNames {
	types: string;
	routing: string;
	priority: string;
}

export const TARGET_PARAMETERS: TargetParameterNames = {
	types: 'targetObjectTypes',
	routing: 'routing',
	priority: 'priority',
};

export function targetParameters(
	crms: readonly CrmName[],
	texts: { displayName: string; description: string },
	show: Record<string, Array<string | boolean>> = {},
	hideRouting: Record<string, string[]> = {},
	names: TargetParameterNames = TARGET_PARAMETERS,
): INodeProperties[] {
	return [
		...matchedObjectTypeParameters(crms, { name: names.types, ...texts, extraShow: show }),
		{
			displayName: 'When Several Object Types Match',
			name: names.routing,
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
		...priorityParameters(crms, show, names.priority),
	];
}

export interface TargetSettings {
	targetKinds: ObjectKind[];
	mode: RoutingMode;
	priority: ObjectKind[];
}

export function readTargetSettings(
	ctx: IExecuteFunctions,
	forceOneType = false,
	names: TargetParameterNames = TARGET_PARAMETERS,
): TargetSettings {
	const priority = batchParameter<Array<{ objectType: ObjectKind }>>(
		ctx,
		`${names.priority}.entries`,
		'Priority Order',
		[],
	);
	return {
		targetKinds: ctx.getNodeParameter(names.types, 0, []) as ObjectKind[],
		mode: forceOneType
			? 'oneType'
			: (ctx.getNodeParameter(names.routing, 0, 'oneType') as RoutingMode),
		priority: priority.map((p) => p.objectType),
	};
}
