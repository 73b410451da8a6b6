/**
 * Note routing, exactly as the seed's "Routing when multiple objects match":
 * - `oneType`: walk the priority list; the first selected type that has matches wins and
 *   ALL of its matches receive the entry; stop there.
 * - `allTypes`: every selected type that matched receives the entry.
 * Destinations that accept a single target (Salesforce Events) always use `oneType` and keep
 * only the first (newest) match of the winning type.
 */
import type { CrmRef, MatchSet, ObjectKind } from '../model';

export type RoutingMode = 'oneType' | 'allTypes';

export interface RoutingRequest {
	/** Types the user allows as note targets (must be among the linked ones). */
	targetKinds: ObjectKind[];
	mode: RoutingMode;
	/** Highest priority first; kinds missing from it rank after the listed ones, in targetKinds order. */
	priority: ObjectKind[];
	/** The destination takes exactly one record (Salesforce Event). */
	singleTarget: boolean;
}

export interface RoutingDecision {
	targets: CrmRef[];
	/** The kinds that received the entry, in priority order. */
	kinds: ObjectKind[];
	/** Why nothing was routed, when targets is empty. */
	reason?: string;
}

/** The effective order: priority entries that are selected, then the remaining selected kinds. */
export function effectivePriority(
	targetKinds: readonly ObjectKind[],
	priority: readonly ObjectKind[],
): ObjectKind[] {
	const selected = new Set(targetKinds);
	const ordered = priority.filter(
		(kind, index) => selected.has(kind) && priority.indexOf(kind) === index,
	);
	return [
		...ordered,
		...targetKinds.filter(
			(kind, index) => !ordered.includes(kind) && targetKinds.indexOf(kind) === index,
		),
	];
}

export function routeTargets(matches: MatchSet, request: RoutingRequest): RoutingDecision {
	const order = effectivePriority(request.targetKinds, request.priority);
	if (order.length === 0)
		return { targets: [], kinds: [], reason: 'no target object types selected' };
	const matched = order.filter((kind) => matches[kind].length > 0);
	if (matched.length === 0)
		return { targets: [], kinds: [], reason: `no matches among ${order.join(', ')}` };

	const mode: RoutingMode = request.singleTarget ? 'oneType' : request.mode;
	if (mode === 'oneType') {
		const winner = matched[0];
		const records = matches[winner];
		return { targets: request.singleTarget ? records.slice(0, 1) : [...records], kinds: [winner] };
	}
	return { targets: matched.flatMap((kind) => matches[kind]), kinds: matched };
}
