import type { SettleResponse } from '@open402/core'
import type { Message, Part, Task, TaskState } from './a2a-types.js'
import { type PaymentErrorCode, X402_METADATA, type X402PaymentStatus } from './constants.js'

/** An agent message of a task's status, with the extension's metadata. */
export function agentMessage(
  task: Pick<Task, 'id' | 'contextId'>,
  text: string,
  metadata: Record<string, unknown>,
): Message {
  return {
    kind: 'message',
    messageId: crypto.randomUUID(),
    role: 'agent',
    parts: [{ kind: 'text', text }],
    taskId: task.id,
    contextId: task.contextId,
    metadata,
  }
}

/** The metadata of a status message: `x402.payment.status` and the keys given. */
export function paymentMetadata(
  status: X402PaymentStatus,
  fields: { required?: unknown; receipts?: SettleResponse[]; error?: PaymentErrorCode } = {},
): Record<string, unknown> {
  const metadata: Record<string, unknown> = { [X402_METADATA.status]: status }
  if (fields.required !== undefined) metadata[X402_METADATA.required] = fields.required
  if (fields.receipts !== undefined) metadata[X402_METADATA.receipts] = fields.receipts
  if (fields.error !== undefined) metadata[X402_METADATA.error] = fields.error
  return metadata
}

/**
 * The task moved to `state` with `message` as its status: the previous status message and the client's
 * message (if any) go to the history first, as A2A keeps the conversation there.
 */
export function withStatus(
  task: Task,
  state: TaskState,
  message: Message,
  options: { received?: Message; artifacts?: Task['artifacts'] } = {},
): Task {
  const history = [...(task.history ?? [])]
  if (task.status.message) history.push(task.status.message)
  if (options.received) history.push(withoutSignedPayment(options.received))
  const next: Task = {
    ...task,
    status: { state, message, timestamp: new Date().toISOString() },
    history,
  }
  if (options.artifacts) next.artifacts = options.artifacts
  return next
}

/**
 * The client's message as the history keeps it: a submitted payment keeps what it accepted, but not its
 * signed part, so nobody who can read the task (`tasks/get`) can take the authorization and spend it first.
 */
function withoutSignedPayment(message: Message): Message {
  const payment = message.metadata?.[X402_METADATA.payload]
  if (payment === null || typeof payment !== 'object') return message
  const { payload: _signed, ...kept } = payment as Record<string, unknown>
  return { ...message, metadata: { ...message.metadata, [X402_METADATA.payload]: kept } }
}

/** A skill's answer as parts: a string is one text part. */
export function partsOf(answer: string | Part[]): Part[] {
  return typeof answer === 'string' ? [{ kind: 'text', text: answer }] : answer
}
