/**
 * One Record Sync run's state: settings, both providers, the guards, the outcomes being built,
 * and the object descriptions read so far — with the lookups every step needs.
 */
import { NodeOperationError, type IExecuteFunctions, type INode } from 'n8n-workflow';

import { fieldSpecs, objectTypeFor } from '../../CrmContactFieldMerge/fieldSpecs';
import type { CrmName, ObjectKind } from '../../shared/model';
import { Outcomes } from '../../shared/node/outcomes';
import type { CrmProvider } from '../../shared/providers/CrmProvider';
import { crmDisplayName, profileOf } from '../../shared/providers/profiles';
import type { RecordSyncSettings } from '../settings';
import type { ObjectInfo, Prepared, RecordSyncGuards } from './types';

export class RunContext {
	readonly outcomes: Outcomes;
	readonly node: INode;
	readonly sourceCrm: CrmName;
	readonly targetCrm: CrmName;
	readonly targetKinds: ObjectKind[];
	private readonly objects = new Map<string, ObjectInfo>();

	constructor(
		readonly ctx: IExecuteFunctions,
		readonly settings: RecordSyncSettings,
		readonly source: CrmProvider,
		readonly target: CrmProvider,
		readonly scope: string,
		readonly guards: RecordSyncGuards,
	) {
		this.outcomes = new Outcomes(ctx, 1);
		this.node = ctx.getNode();
		this.sourceCrm = settings.direction.source;
		this.targetCrm = settings.direction.target;
		this.targetKinds = this.kindsOf(this.targetCrm);
	}

	fail(message: string, itemIndex?: number): NodeOperationError {
		return new NodeOperationError(this.node, message, itemIndex === undefined ? {} : { itemIndex });
	}

	async describe(provider: CrmProvider, kind: ObjectKind, objectType: string): Promise<ObjectInfo> {
		const key = `${provider.profile.crm}:${objectType}`;
		const known = this.objects.get(key);
		if (known) return known;
		const description = await provider.describeObject(objectType);
		const info: ObjectInfo = {
			kind,
			objectType,
			fields: new Map(description.fields.map((field) => [field.name, field])),
			specs: fieldSpecs(description),
		};
		this.objects.set(key, info);
		return info;
	}

	sourceKindOf(objectType: string): ObjectKind | undefined {
		const { objects } = profileOf(this.sourceCrm);
		const kinds =
			this.settings.kind === 'contact' ? (['contact', 'lead'] as const) : [this.settings.kind];
		return kinds.find((kind) => objects[kind]?.objectType === objectType);
	}

	/** Contact and lead where the CRM has leads and the node syncs people; the kind alone otherwise. */
	kindsOf(crm: CrmName): ObjectKind[] {
		const person = this.settings.kind === 'contact';
		return person && profileOf(crm).objects.lead ? ['contact', 'lead'] : [this.settings.kind];
	}

	async describeKinds(provider: CrmProvider, kinds: ObjectKind[]): Promise<ObjectInfo[]> {
		const infos: ObjectInfo[] = [];
		for (const k of kinds) {
			const objectType = objectTypeFor(provider.profile, k);
			if (objectType) infos.push(await this.describe(provider, k, objectType));
		}
		return infos;
	}

	targetKindOf(objectType: string): ObjectKind {
		const { objects } = profileOf(this.targetCrm);
		return (
			this.targetKinds.find((k) => objects[k]?.objectType === objectType) ?? this.settings.kind
		);
	}

	objectTypeOf(kind: ObjectKind): string {
		return objectTypeFor(this.target.profile, kind) ?? kind;
	}

	targetObject(kind: ObjectKind): ObjectInfo {
		const info = this.objects.get(`${this.targetCrm}:${this.objectTypeOf(kind)}`);
		if (!info) throw this.fail(`${crmDisplayName(this.targetCrm)} has no ${kind} object`);
		return info;
	}

	/** The mapped fields an object has, and its change-time field where the CRM needs it asked for. */
	mappedFields(info: ObjectInfo): string[] {
		const modified = this.target.profile.recordKeys?.modifiedField;
		const fields = this.settings.mappings
			.filter((m) => m.rule !== 'none' && info.specs.has(m.targetField))
			.map((m) => m.targetField);
		const extra = [modified, this.companyField(info)].filter(
			(field): field is string => field !== undefined && info.fields.has(field),
		);
		return [...new Set([...fields, ...extra])];
	}

	/** The lookup field holding a record's company in the target, where it stores it so. */
	companyField(info: ObjectInfo): string | undefined {
		const facts = this.target.profile.recordAssociations;
		if (info.kind === 'contact') return facts?.contactCompanyField;
		if (info.kind === 'deal') return facts?.dealCompanyField;
		return undefined;
	}

	pendingKey(p: Prepared): string {
		return `${this.targetCrm}|${p.sourceKey}`;
	}

	/** The target's name field of a company or deal object (people are found again by email). */
	targetNameField(kind: ObjectKind | undefined): string | undefined {
		const keys = this.target.profile.recordKeys;
		if (kind === 'company') return keys?.company?.name;
		if (kind === 'deal') return keys?.deal?.name;
		return undefined;
	}
}
