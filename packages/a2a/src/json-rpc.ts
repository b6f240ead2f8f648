import { JSON_RPC_ERRORS } from './constants.js'

export type JsonRpcId = string | number | null

export interface JsonRpcRequest {
  jsonrpc: '2.0'
  id: JsonRpcId
  method: string
  params?: unknown
}

/** A JSON-RPC error raised while handling a request: answered as `{ error: { code, message, data? } }`. */
export class JsonRpcError extends Error {
  override readonly name = 'JsonRpcError'
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message)
  }
}

export interface JsonRpcErrorObject {
  code: number
  message: string
  data?: unknown
}

/** Reads a JSON-RPC 2.0 request body; throws {@link JsonRpcError} with -32700 or -32600 when it is not one. */
export function parseJsonRpcRequest(text: string): JsonRpcRequest {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new JsonRpcError(JSON_RPC_ERRORS.parseError, 'Parse error: the body is not valid JSON')
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    const message = Array.isArray(body)
      ? 'Invalid Request: batch requests are not supported'
      : 'Invalid Request: expected a JSON-RPC 2.0 request object'
    throw new JsonRpcError(JSON_RPC_ERRORS.invalidRequest, message)
  }
  const request = body as Record<string, unknown>
  const id = request.id
  const validId = id === null || typeof id === 'string' || typeof id === 'number'
  if (request.jsonrpc !== '2.0' || typeof request.method !== 'string' || !validId) {
    throw new JsonRpcError(
      JSON_RPC_ERRORS.invalidRequest,
      'Invalid Request: expected jsonrpc "2.0", a string method and a string or number id',
    )
  }
  return { jsonrpc: '2.0', id: id as JsonRpcId, method: request.method, params: request.params }
}

/** The id of a request body that may be malformed, for the error answer (null when unknown). */
export function requestIdOf(text: string): JsonRpcId {
  try {
    const id = (JSON.parse(text) as { id?: unknown } | null)?.id
    return typeof id === 'string' || typeof id === 'number' ? id : null
  } catch {
    return null
  }
}

export function jsonRpcResult(id: JsonRpcId, result: unknown) {
  return { jsonrpc: '2.0' as const, id, result }
}

export function jsonRpcError(id: JsonRpcId, error: JsonRpcErrorObject) {
  return { jsonrpc: '2.0' as const, id, error }
}
