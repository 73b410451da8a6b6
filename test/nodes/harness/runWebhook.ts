/**
 * Serves a webhook trigger node on a real local HTTP server (127.0.0.1) the way n8n's
 * production webhook handler does, in-process: the request body is read into `rawBody`
 * (lazily through `readRawBody`, like n8n's body parser) and JSON bodies are parsed into
 * `body`; the node's `webhook()` runs in n8n-core's real WebhookContext with the live
 * request and response; `noWebhookResponse` means the node answered itself, otherwise the
 * runner answers 200 like responseMode "onReceived". Workflow static data is kept between
 * deliveries as n8n stores it for an active workflow. Every delivery is recorded with what
 * the workflow would have started with.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { WebhookContext } from 'n8n-core';
import {
	Workflow,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type IWebhookData,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { harnessAdditionalData } from './additionalData';
import type { HarnessCredentialsHelper } from './credentialsHelper';
import { SingleNodeTypes } from './singleNodeTypes';

export interface WebhookDelivery {
	status: number;
	/** Items the workflow would have started with (empty when the node started nothing). */
	items: INodeExecutionData[];
	/** What the node's webhook() threw, if it did (answered 500). */
	error?: Error;
}

function readAll(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

export class WebhookRunner {
	/** The workflow's stored static data, kept between deliveries. */
	staticData: IDataObject = {};
	readonly deliveries: WebhookDelivery[] = [];
	private server?: Server;
	private readonly nodeTypes: SingleNodeTypes;

	constructor(
		private readonly credentials: HarnessCredentialsHelper,
		typeName: string,
		private readonly nodeType: INodeType,
		private readonly node: INode,
	) {
		this.nodeTypes = new SingleNodeTypes(typeName, nodeType, 'webhook');
	}

	/** Starts listening on 127.0.0.1 and returns the webhook URL. */
	async listen(): Promise<string> {
		const server = createServer((req, res) => {
			void this.handle(req, res);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		this.server = server;
		const path = this.nodeType.description.webhooks?.[0]?.path ?? '';
		return `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/${path}`;
	}

	async close(): Promise<void> {
		const server = this.server;
		if (!server) return;
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	/** Items of every delivery that started the workflow. */
	startedItems(): INodeExecutionData[][] {
		return this.deliveries
			.filter((delivery) => delivery.items.length > 0)
			.map((delivery) => delivery.items);
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const request = req as IncomingMessage & { body?: unknown; readRawBody?: () => Promise<void> };
		request.readRawBody = async () => {
			if (!request.rawBody) request.rawBody = await readAll(req);
		};
		await request.readRawBody();
		if (
			String(req.headers['content-type'] ?? '').startsWith('application/json') &&
			request.rawBody.length
		) {
			try {
				request.body = JSON.parse(request.rawBody.toString('utf8'));
			} catch {
				request.body = {};
			}
		} else request.body = {};

		const workflow = new Workflow({
			id: 'webhook-harness-workflow',
			name: 'webhook harness',
			nodes: [{ ...this.node, parameters: { ...this.node.parameters } }],
			connections: {},
			active: true,
			nodeTypes: this.nodeTypes,
			staticData: JSON.parse(JSON.stringify(this.staticData)) as IDataObject,
			settings: { executionOrder: 'v1' },
		});
		const node = workflow.getNode(this.node.name) as INode;
		const additionalData = this.additionalData(req, res);
		const description = this.nodeType.description.webhooks?.[0];
		if (!description) throw new Error('the node has no webhook description');
		const webhookData: IWebhookData = {
			httpMethod: 'POST',
			node: node.name,
			path: String(description.path),
			webhookDescription: description,
			workflowId: workflow.id,
			workflowExecuteAdditionalData: additionalData,
		};
		const context = new WebhookContext(
			workflow,
			node,
			additionalData,
			'webhook',
			webhookData,
			[],
			null,
		);
		try {
			const result = await this.nodeType.webhook!.call(context);
			const items = result.workflowData?.[0] ?? [];
			if (result.noWebhookResponse !== true) {
				res.writeHead(200, { 'Content-Type': 'application/json' });
				res.end(
					JSON.stringify({
						message: items.length ? 'Workflow was started' : 'Webhook call received',
					}),
				);
			}
			// n8n saves the static data after every production webhook call.
			const stored = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
			delete stored.__dataChanged;
			this.staticData = stored;
			this.deliveries.push({ status: res.statusCode, items });
		} catch (error) {
			if (!res.headersSent) res.writeHead(500);
			res.end();
			this.deliveries.push({ status: 500, items: [], error: error as Error });
		}
	}

	private additionalData(
		req: IncomingMessage,
		res: ServerResponse,
	): IWorkflowExecuteAdditionalData {
		return harnessAdditionalData(this.credentials, 'webhook', {
			httpRequest: req,
			httpResponse: res,
		});
	}
}
