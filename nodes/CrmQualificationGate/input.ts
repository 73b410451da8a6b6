/**
 * The item the gate reads: one conversation of one client.
 *
 * {
 *   id?: string | number              conversation id (shown in logs)
 *   client: { id, email?, phone?, company?, name? }   id is required (sticky status is per client)
 *   messages?: Array<string | { text | content | body | message, role? | from? | sender? }>
 *   messageCount?: number             used when messages[] is absent
 *   text?: string, summary?: string   searched for keywords together with the messages
 *   score?: number                    the conversation's qualification score
 *   ended?: boolean                   the conversation is over (too few messages ⇒ unqualified, not pending)
 *   priorStatus?: 'qualified' | 'unqualified' | 'pending'   the client's best status from its OTHER conversations
 *   qualification?: { conversationStatus?, status?, provisional?, firstQualified? }   an earlier gate's result (AI review reads it)
 * }
 * Nulls count as absent; other extra fields pass through untouched.
 */
import { NodeOperationError, type IDataObject, type INode } from 'n8n-workflow';
import { z } from 'zod';

import { QUALIFICATION_STATUSES, type QualificationEvidence } from './logic/qualification';
import { describeIssues } from '../shared/model';

const optionalText = z
	.string()
	.nullish()
	.transform((value) => value ?? undefined);
/** Ids may arrive as numbers; they are compared as strings. */
const id = z.preprocess(
	(value) => (typeof value === 'number' && Number.isFinite(value) ? String(value) : value),
	z.string({ invalid_type_error: 'Expected a string or number' }).trim().min(1),
);
const status = z.enum(QUALIFICATION_STATUSES);

const MessageSchema = z.union([
	z.string(),
	z
		.object({
			text: optionalText,
			content: optionalText,
			body: optionalText,
			message: optionalText,
			role: optionalText,
			from: optionalText,
			sender: optionalText,
		})
		.passthrough(),
]);

export const GateInputSchema = z
	.object({
		id: id.optional(),
		client: z
			.object({
				id,
				email: optionalText,
				phone: optionalText,
				company: optionalText,
				name: optionalText,
			})
			.passthrough(),
		messages: z.array(MessageSchema).nullish(),
		messageCount: z.number().int().nonnegative().nullish(),
		text: optionalText,
		summary: optionalText,
		score: z.number().finite().nullish(),
		ended: z.boolean().nullish(),
		priorStatus: status.nullish(),
		qualification: z
			.object({
				conversationStatus: status.optional(),
				status: status.optional(),
				provisional: z.boolean().optional(),
				firstQualified: z.boolean().optional(),
			})
			.passthrough()
			.nullish(),
	})
	.passthrough();
export type GateInput = z.infer<typeof GateInputSchema>;

export type ParsedGateInput =
	{ ok: true; input: GateInput } | { ok: false; error: NodeOperationError };

export function parseGateInput(node: INode, json: IDataObject, itemIndex: number): ParsedGateInput {
	const result = GateInputSchema.safeParse(json);
	if (result.success) return { ok: true, input: result.data };
	const first = result.error.issues[0];
	const field = first.path.length ? first.path.join('.') : '(item)';
	return {
		ok: false,
		error: new NodeOperationError(
			node,
			`Item ${itemIndex}: field "${field}" is invalid: ${first.message}`,
			{
				itemIndex,
				description: `The gate expects a conversation with a client { id, email, phone, company }, messages or messageCount, score, text or summary. ${describeIssues(result.error)}`,
			},
		),
	};
}

type Message = z.infer<typeof MessageSchema>;

function messageText(message: Message): string {
	if (typeof message === 'string') return message;
	return message.text ?? message.content ?? message.body ?? message.message ?? '';
}

function speaker(message: Message): string | undefined {
	return typeof message === 'string' ? undefined : (message.role ?? message.from ?? message.sender);
}

export function evidenceOf(input: GateInput): QualificationEvidence {
	const messages = input.messages ?? undefined;
	return {
		text: [input.summary, input.text, ...(messages ?? []).map(messageText)]
			.filter((part) => part && part.trim())
			.join('\n'),
		messageCount: messages ? messages.length : (input.messageCount ?? undefined),
		ended: input.ended === true,
		contact: {
			email: input.client.email,
			phone: input.client.phone,
			company: input.client.company,
		},
		score: input.score ?? undefined,
	};
}

/** The whole conversation as the AI review reads it: "speaker: text" lines, then text/summary. */
export function transcriptOf(input: GateInput): string {
	const lines = (input.messages ?? [])
		.map((message) => {
			const text = messageText(message).trim();
			const who = speaker(message);
			return text ? (who ? `${who}: ${text}` : text) : '';
		})
		.filter(Boolean);
	if (lines.length) return lines.join('\n');
	return [input.text, input.summary ? `Summary: ${input.summary}` : undefined]
		.filter(Boolean)
		.join('\n');
}
