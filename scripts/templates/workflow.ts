/**
 * A small builder for the n8n workflow JSON of the templates: nodes with stable ids, named
 * connections, sticky notes. The JSON files in workflows-templates/ are its output
 * (`npx tsx scripts/templates/build.ts`), so the parts every template shares — Data Table
 * set-up, failure answers, sync-log rows — are written once.
 */
import { createHash } from 'node:crypto';

export type Position = [number, number];

export interface NodeSpec {
	name: string;
	type: string;
	typeVersion: number;
	position: Position;
	parameters?: Record<string, unknown>;
	credentials?: Record<string, { name: string }>;
	webhookId?: string;
	onError?: 'continueErrorOutput' | 'continueRegularOutput';
	executeOnce?: boolean;
	alwaysOutputData?: boolean;
	disabled?: boolean;
}

export interface WorkflowNode extends NodeSpec {
	id: string;
	parameters: Record<string, unknown>;
}

type ConnectionType = 'main' | 'ai_languageModel';
interface Connection {
	node: string;
	type: ConnectionType;
	index: number;
}

export interface WorkflowJson {
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, Partial<Record<ConnectionType, Connection[][]>>>;
	settings: { executionOrder: 'v1' };
	meta: { templateCredsSetupCompleted: boolean };
	tags: string[];
}

/** A name-based (version 5 style) UUID: the same workflow and node name give the same id on every build. */
export function stableId(...parts: string[]): string {
	const hex = createHash('sha1').update(parts.join('\u0000')).digest('hex');
	const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export class WorkflowBuilder {
	private readonly nodes: WorkflowNode[] = [];
	private readonly connections: WorkflowJson['connections'] = {};
	private stickyCount = 0;

	constructor(readonly name: string) {}

	/** Adds a node; returns its name (the handle connections use). */
	add(spec: NodeSpec): string {
		if (this.nodes.some((node) => node.name === spec.name))
			throw new Error(`${this.name}: two nodes are named "${spec.name}"`);
		const { name, type, typeVersion, position, parameters, ...flags } = spec;
		this.nodes.push({
			parameters: parameters ?? {},
			id: stableId(this.name, name),
			name,
			type,
			typeVersion,
			position,
			...flags,
		});
		return name;
	}

	has(name: string): boolean {
		return this.nodes.some((node) => node.name === name);
	}

	/** `from`'s output `output` → `to`'s input `input` (main connections unless `type` says otherwise). */
	connect(
		from: string,
		to: string,
		options: { output?: number; input?: number; type?: ConnectionType } = {},
	): this {
		for (const end of [from, to])
			if (!this.has(end)) throw new Error(`${this.name}: no node "${end}" to connect`);
		const type = options.type ?? 'main';
		const outputs = ((this.connections[from] ??= {})[type] ??= []);
		const output = options.output ?? 0;
		while (outputs.length <= output) outputs.push([]);
		const input = options.input ?? 0;
		if (outputs[output].some((c) => c.node === to && c.index === input))
			throw new Error(
				`${this.name}: "${from}" output ${output} → "${to}" input ${input} is connected twice`,
			);
		outputs[output].push({ node: to, type, index: input });
		return this;
	}

	/** A sticky note; markdown content, size in pixels, n8n's colour index. */
	sticky(
		content: string,
		position: Position,
		size: [number, number],
		color?: number,
		name?: string,
	): string {
		this.stickyCount++;
		return this.add({
			name: name ?? `Note ${this.stickyCount}`,
			type: 'n8n-nodes-base.stickyNote',
			typeVersion: 1,
			position,
			parameters: {
				content,
				height: size[1],
				width: size[0],
				...(color === undefined ? {} : { color }),
			},
		});
	}

	toJSON(): WorkflowJson {
		return {
			name: this.name,
			nodes: this.nodes,
			connections: this.connections,
			settings: { executionOrder: 'v1' },
			meta: { templateCredsSetupCompleted: false },
			tags: [],
		};
	}
}
