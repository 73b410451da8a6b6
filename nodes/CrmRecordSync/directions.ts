/**
 * The node's "Direction": one parameter naming source and target CRM together. The editor's
 * display conditions are per parameter (a credential slot cannot be shown "when the source
 * or the target is HubSpot" with two parameters), so one value per pair lets each CRM's
 * credential and authentication appear exactly when the pair involves that CRM.
 */
import { CRM_NAMES, type CrmName } from '../shared/model';
import { profileOf } from '../shared/providers/profiles';

export interface Direction {
	value: string;
	source: CrmName;
	target: CrmName;
}

export const DIRECTIONS: Direction[] = CRM_NAMES.flatMap((source) =>
	CRM_NAMES.filter((target) => target !== source).map((target) => ({
		value: `${source}To${target[0].toUpperCase()}${target.slice(1)}`,
		source,
		target,
	})),
);

export function directionLabel(direction: Direction): string {
	return `${profileOf(direction.source).selectorLabel} → ${profileOf(direction.target).selectorLabel}`;
}

export function directionOf(value: unknown): Direction | undefined {
	return DIRECTIONS.find((direction) => direction.value === value);
}

/** Direction values involving a CRM (as source or target). */
export function directionsWith(crm: CrmName): string[] {
	return DIRECTIONS.filter((d) => d.source === crm || d.target === crm).map((d) => d.value);
}

export function directionsWhere(test: (direction: Direction) => boolean): string[] {
	return DIRECTIONS.filter(test).map((d) => d.value);
}
