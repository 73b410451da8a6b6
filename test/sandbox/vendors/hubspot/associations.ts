/**
 * Inline associations on create, `POST /crm/v4/associations/{from}/{to}/batch/read` and
 * `POST /crm/v4/associations/{from}/{to}/batch/associate/default`.
 */
import type { RouteDefinition, SandboxResponse } from '../../core/types';
import { hubspotError, hubspotFailure, type HubSpotError } from './errors';
import {
	associationType,
	canonicalObjectType,
	defaultAssociationType,
	singularName,
	type AssociationType,
	type HubSpotObjectType,
} from './objectTypes';
import type { HubSpotState } from './state';

export interface PlannedLink {
	type: AssociationType;
	toId: string;
	category: string;
}

/**
 * Validates `associations: [{ to: { id }, types: [{ associationCategory, associationTypeId }] }]`.
 * HubSpot derives the target object type from the type id, so an id that does not start
 * at this object type, or a target that does not exist, is a 400.
 */
export function planAssociations(
	state: HubSpotState,
	from: HubSpotObjectType,
	raw: unknown,
): PlannedLink[] | HubSpotError {
	if (raw === undefined) return [];
	if (!Array.isArray(raw)) return hubspotError('VALIDATION_ERROR', 'associations must be an array');
	const planned: PlannedLink[] = [];
	for (const entry of raw as Array<Record<string, unknown>>) {
		const to = entry?.to as Record<string, unknown> | undefined;
		const toId = to?.id === undefined ? undefined : String(to.id);
		const types = Array.isArray(entry?.types)
			? (entry.types as Array<Record<string, unknown>>)
			: [];
		if (!toId || types.length === 0)
			return hubspotError(
				'VALIDATION_ERROR',
				'Each association needs to.id and at least one type.',
			);
		for (const t of types) {
			const category = String(t.associationCategory ?? '');
			const typeId = Number(t.associationTypeId);
			const type = category === 'HUBSPOT_DEFINED' ? associationType(from, typeId) : undefined;
			if (!type)
				return hubspotError(
					'VALIDATION_ERROR',
					`${category}/${String(t.associationTypeId)} is not a valid association type for ${singularName(from)} records.`,
					{
						subCategory: 'crm.associations.INVALID_ASSOCIATION_TYPE',
						context: { associationTypeId: [String(t.associationTypeId)] },
					},
				);
			if (!state.ctx.store.get('hubspot', type.to, toId))
				return hubspotError(
					'VALIDATION_ERROR',
					`One or more association targets do not exist: ${singularName(type.to)} ${toId} was not found.`,
					{
						subCategory: 'crm.associations.TO_OBJECT_NOT_FOUND',
						context: { toObjectId: [toId] },
					},
				);
			planned.push({ type, toId, category });
		}
	}
	return planned;
}

/** Contact → company "Primary" association type (its inverse is 2). */
export const PRIMARY_COMPANY_TYPE_ID = 1;

/**
 * HubSpot mirrors a contact's primary company in the contact's read-only
 * `associatedcompanyid` property, so a contact read or search returns it.
 */
export function mirrorPrimaryCompany(
	store: HubSpotState['ctx']['store'],
	from: HubSpotObjectType,
	fromId: string,
	type: AssociationType,
	toId: string,
): void {
	if (type.label !== 'Primary' || type.from === type.to) return;
	const [contactId, companyId] =
		from === 'contacts' && type.to === 'companies'
			? [fromId, toId]
			: from === 'companies' && type.to === 'contacts'
				? [toId, fromId]
				: [undefined, undefined];
	const contact = contactId ? store.get('hubspot', 'contacts', contactId) : undefined;
	if (contact && companyId) contact.fields.associatedcompanyid = companyId;
}

export function applyAssociations(
	state: HubSpotState,
	from: HubSpotObjectType,
	fromId: string,
	links: PlannedLink[],
): void {
	for (const { type, toId, category } of links) {
		mirrorPrimaryCompany(state.ctx.store, from, fromId, type, toId);
		state.ctx.store.link('hubspot', {
			fromType: from,
			fromId,
			toType: type.to,
			toId,
			typeId: type.typeId,
			category,
		});
		state.ctx.store.link('hubspot', {
			fromType: type.to,
			fromId: toId,
			toType: from,
			toId: fromId,
			typeId: type.inverseTypeId,
			category,
		});
	}
}

function batchRead(
	state: HubSpotState,
	from: HubSpotObjectType,
	to: HubSpotObjectType,
	body: unknown,
): SandboxResponse {
	const inputs = (body as { inputs?: unknown })?.inputs;
	if (!Array.isArray(inputs))
		return hubspotFailure(400, 'VALIDATION_ERROR', 'inputs must be an array');
	if (inputs.length > 1000)
		return hubspotFailure(400, 'VALIDATION_ERROR', 'Batch read is limited to 1000 inputs.');
	const startedAt = new Date(state.ctx.now()).toISOString();
	const results: unknown[] = [];
	const errors: HubSpotError[] = [];
	for (const input of inputs as Array<Record<string, unknown>>) {
		const id = String(input?.id ?? '');
		const byTarget = new Map<
			string,
			Array<{ category: string; typeId: number; label: string | null }>
		>();
		for (const link of state.ctx.store.linksFrom('hubspot', from, id, to)) {
			const label = associationType(from, link.typeId)?.label ?? null;
			const list = byTarget.get(link.toId) ?? [];
			list.push({ category: link.category, typeId: link.typeId, label });
			byTarget.set(link.toId, list);
		}
		if (byTarget.size === 0) {
			errors.push(
				hubspotError(
					'OBJECT_NOT_FOUND',
					`No ${singularName(to)} is associated with ${singularName(from)} ${id}.`,
					{
						subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
						context: { fromObjectId: [id] },
					},
				),
			);
			continue;
		}
		results.push({
			from: { id },
			// The live API sends numeric ids here although the schema says string; clients should accept both.
			to: [...byTarget.entries()].map(([toId, associationTypes]) => ({
				toObjectId: Number(toId),
				associationTypes,
			})),
		});
	}
	const completedAt = new Date(state.ctx.now()).toISOString();
	const base = { status: 'COMPLETE', results, startedAt, completedAt };
	return errors.length > 0
		? { status: 207, body: { ...base, numErrors: errors.length, errors } }
		: { status: 200, body: base };
}

/**
 * The default (unlabeled) association for each `{ from: { id }, to: { id } }` input, both
 * directions, as HubSpot stores them; an existing one is kept (no second link). A record
 * that does not exist fails its input (207 with errors), the others are associated.
 */
function batchAssociateDefault(
	state: HubSpotState,
	from: HubSpotObjectType,
	to: HubSpotObjectType,
	body: unknown,
): SandboxResponse {
	const inputs = (body as { inputs?: unknown })?.inputs;
	if (!Array.isArray(inputs))
		return hubspotFailure(400, 'VALIDATION_ERROR', 'inputs must be an array');
	if (inputs.length > 2000)
		return hubspotFailure(400, 'VALIDATION_ERROR', 'Batch associate is limited to 2000 inputs.');
	const type = defaultAssociationType(from, to);
	if (!type)
		return hubspotFailure(
			400,
			'VALIDATION_ERROR',
			`No default association exists from ${singularName(from)} to ${singularName(to)}.`,
		);
	const startedAt = new Date(state.ctx.now()).toISOString();
	const results: unknown[] = [];
	const errors: HubSpotError[] = [];
	const { store } = state.ctx;
	for (const input of inputs as Array<Record<string, unknown>>) {
		const fromId = String((input?.from as Record<string, unknown> | undefined)?.id ?? '');
		const toId = String((input?.to as Record<string, unknown> | undefined)?.id ?? '');
		const missing = !store.get('hubspot', from, fromId)
			? { type: from, id: fromId, key: 'fromObjectId' }
			: !store.get('hubspot', to, toId)
				? { type: to, id: toId, key: 'toObjectId' }
				: undefined;
		if (missing) {
			errors.push(
				hubspotError(
					'OBJECT_NOT_FOUND',
					`${singularName(missing.type)} ${missing.id || '(no id)'} was not found.`,
					{ context: { [missing.key]: [missing.id] } },
				),
			);
			continue;
		}
		const exists = store
			.linksFrom('hubspot', from, fromId, to)
			.some((link) => link.toId === toId && link.typeId === type.typeId);
		if (!exists)
			applyAssociations(state, from, fromId, [{ type, toId, category: 'HUBSPOT_DEFINED' }]);
		results.push({
			associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: type.typeId },
			from: { id: fromId },
			to: { id: toId },
		});
	}
	const completedAt = new Date(state.ctx.now()).toISOString();
	const base = { status: 'COMPLETE', results, startedAt, completedAt };
	return errors.length > 0
		? { status: 207, body: { ...base, numErrors: errors.length, errors } }
		: { status: 200, body: base };
}

export function associationRoutes(state: HubSpotState): RouteDefinition[] {
	return [
		{
			method: 'POST',
			template: '/hubspot/crm/v4/associations/:fromObjectType/:toObjectType/batch/read',
			handler: (req) => {
				const from = canonicalObjectType(req.params.fromObjectType);
				const to = canonicalObjectType(req.params.toObjectType);
				if (!from || !to)
					return hubspotFailure(400, 'VALIDATION_ERROR', `Unknown object type in ${req.path}`);
				return batchRead(state, from, to, req.body);
			},
		},
		{
			method: 'POST',
			template:
				'/hubspot/crm/v4/associations/:fromObjectType/:toObjectType/batch/associate/default',
			handler: (req) => {
				const from = canonicalObjectType(req.params.fromObjectType);
				const to = canonicalObjectType(req.params.toObjectType);
				if (!from || !to)
					return hubspotFailure(400, 'VALIDATION_ERROR', `Unknown object type in ${req.path}`);
				return batchAssociateDefault(state, from, to, req.body);
			},
		},
	];
}
