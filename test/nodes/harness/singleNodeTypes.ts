/** A node-type registry holding exactly one node type: what the trigger runners need. */
import type { INodeType, INodeTypes } from 'n8n-workflow';

export class SingleNodeTypes implements INodeTypes {
	constructor(
		private readonly typeName: string,
		private readonly type: INodeType,
		private readonly runner: string,
	) {}

	getByName(name: string): INodeType {
		if (name !== this.typeName)
			throw new Error(`node type "${name}" is not registered in the ${this.runner} harness`);
		return this.type;
	}

	getByNameAndVersion(name: string): INodeType {
		return this.getByName(name);
	}

	getKnownTypes() {
		return {};
	}
}
