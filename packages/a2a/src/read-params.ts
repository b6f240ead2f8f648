import type { Message } from './a2a-types.js'
import { JSON_RPC_ERRORS } from './constants.js'
import { JsonRpcError } from './json-rpc.js'

const invalid = (message: string) =>
  new JsonRpcError(JSON_RPC_ERRORS.invalidParams, `Invalid params: ${message}`)
const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

/** The `params.message` of `message/send` (A2A §7.1), checked enough to be handled safely. */
export function readMessage(params: unknown): Message {
  const message = isRecord(params) ? params.message : undefined
  if (!isRecord(message)) throw invalid('params.message must be a Message object')
  if (typeof message.messageId !== 'string' || message.messageId === '') {
    throw invalid('message.messageId must be a non-empty string')
  }
  if (message.role !== 'user' && message.role !== 'agent')
    throw invalid('message.role must be "user" or "agent"')
  if (!Array.isArray(message.parts) || !message.parts.every((part) => isRecord(part))) {
    throw invalid('message.parts must be an array of parts')
  }
  for (const key of ['taskId', 'contextId'] as const) {
    if (message[key] !== undefined && typeof message[key] !== 'string')
      throw invalid(`message.${key} must be a string`)
  }
  if (message.metadata !== undefined && !isRecord(message.metadata))
    throw invalid('message.metadata must be an object')
  return { ...(message as unknown as Message), kind: 'message' }
}

/** The `params` of `tasks/get` and `tasks/cancel`: `{ id, historyLength? }`. */
export function readTaskQuery(params: unknown): { id: string; historyLength?: number } {
  if (!isRecord(params) || typeof params.id !== 'string') throw invalid('params.id must be a task id')
  const { historyLength } = params
  if (historyLength === undefined || historyLength === null) return { id: params.id }
  if (typeof historyLength !== 'number' || !Number.isInteger(historyLength) || historyLength < 0) {
    throw invalid('params.historyLength must be a non-negative integer')
  }
  return { id: params.id, historyLength }
}
