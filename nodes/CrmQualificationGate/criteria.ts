/** Reads the node's criteria parameters (per item, so expressions may differ per item). */
import type { IExecuteFunctions } from 'n8n-workflow';

import { parseKeywordList } from './logic/keywords';
import type { ContactField, Criterion } from './logic/qualification';

export function criteriaFor(ctx: IExecuteFunctions, itemIndex: number): Criterion[] {
	const param = <T>(name: string, fallback: T): T =>
		ctx.getNodeParameter(name, itemIndex, fallback) as T;
	return [
		{
			kind: 'messageCount',
			enabled: param('useMessageCount', true),
			priority: param('messageCountPriority', 40),
			minimum: param('minMessages', 3),
		},
		{
			kind: 'keywords',
			enabled: param('useKeywords', false),
			priority: param('keywordsPriority', 30),
			keywords: parseKeywordList(param('keywords', '')),
			mode: param<'any' | 'all'>('keywordMode', 'any'),
		},
		{
			kind: 'contactFields',
			enabled: param('useContactFields', false),
			priority: param('contactFieldsPriority', 20),
			fields: param<ContactField[]>('contactFields', ['email']),
		},
		{
			kind: 'score',
			enabled: param('useScore', false),
			priority: param('scorePriority', 10),
			minimum: param('minScore', 50),
		},
	];
}
