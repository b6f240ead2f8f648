'use strict'
// JSON-RPC 2.0 plumbing for the Solana node: bigint-safe JSON, Solana-style error objects and the
// dispatch of single and batch requests.

/** A JSON-RPC error answered to the client as `{ code, message, data? }`. */
class RpcError extends Error {
  constructor(code, message, data) {
    super(message)
    this.code = code
    this.data = data
  }
}

const invalidParams = (message) => new RpcError(-32602, message)
const invalidRequest = () => new RpcError(-32600, 'Invalid request')

// Integer literals longer than this may not survive JSON.parse as a number; they are read as strings and
// every u64 parameter accepts a number or a decimal string.
const MAX_SAFE_DIGITS = 15

/** JSON.parse, except that integers beyond 2^53 (outside strings) come back as decimal strings. */
function parseJsonWithBigInts(text) {
  if (!/\d{16}/.test(text)) return JSON.parse(text)
  let out = ''
  let inString = false
  let i = 0
  while (i < text.length) {
    const char = text[i]
    if (inString) {
      if (char === '\\') {
        out += char + (text[i + 1] ?? '')
        i += 2
        continue
      }
      if (char === '"') inString = false
      out += char
      i++
      continue
    }
    if (char === '"') {
      inString = true
      out += char
      i++
      continue
    }
    if (char === '-' || (char >= '0' && char <= '9')) {
      const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400))
      const literal = match === null ? char : match[0]
      const isBigInteger = /^-?\d+$/.test(literal) && literal.replace('-', '').length > MAX_SAFE_DIGITS
      out += isBigInteger ? `"${literal}"` : literal
      i += literal.length
      continue
    }
    out += char
    i++
  }
  return JSON.parse(out)
}

const BIGINT_MARK = '\u0000bigint:'

/** JSON.stringify, with bigints written as plain JSON numbers (as the Solana RPC writes u64 values). */
function stringifyJsonWithBigInts(value) {
  let sawBigInt = false
  const text = JSON.stringify(value, (_key, item) => {
    if (typeof item !== 'bigint') return item
    sawBigInt = true
    return `${BIGINT_MARK}${item.toString()}`
  })
  // JSON.stringify escapes the NUL character as \u0000, which cannot appear otherwise in a marker.
  return sawBigInt ? text.replace(/"\\u0000bigint:(-?\d+)"/g, '$1') : text
}

/** A u64 parameter given as a JSON number or a decimal string. */
function toU64(value, name) {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value)
  if (typeof value === 'string' && /^\d+$/.test(value)) {
    const parsed = BigInt(value)
    if (parsed < 2n ** 64n) return parsed
  }
  throw invalidParams(`Invalid param: ${name} must be an unsigned 64-bit integer`)
}

function errorObject(error) {
  if (error instanceof RpcError) {
    return error.data === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, data: error.data }
  }
  return {
    code: -32603,
    message: `Internal error: ${error instanceof Error ? error.message : String(error)}`,
  }
}

function answerOne(request, methods) {
  const id = request !== null && typeof request === 'object' && 'id' in request ? request.id : null
  const respond = (body) => ({ jsonrpc: '2.0', ...body, id })
  if (
    request === null ||
    typeof request !== 'object' ||
    Array.isArray(request) ||
    request.jsonrpc !== '2.0' ||
    typeof request.method !== 'string'
  ) {
    return respond({ error: errorObject(invalidRequest()) })
  }
  const handler = Object.hasOwn(methods, request.method) ? methods[request.method] : undefined
  if (handler === undefined) return respond({ error: { code: -32601, message: 'Method not found' } })
  const params = request.params === undefined || request.params === null ? [] : request.params
  if (!Array.isArray(params)) return respond({ error: errorObject(invalidParams('Invalid params')) })
  try {
    return respond({ result: handler(...params) })
  } catch (error) {
    return respond({ error: errorObject(error) })
  }
}

/** Answers a request body (one request or a batch) with the JSON text to send back. */
function answerJsonRpc(body, methods) {
  let parsed
  try {
    parsed = parseJsonWithBigInts(body)
  } catch {
    return stringifyJsonWithBigInts({
      jsonrpc: '2.0',
      error: { code: -32700, message: 'Parse error' },
      id: null,
    })
  }
  if (Array.isArray(parsed)) {
    if (parsed.length === 0) {
      return stringifyJsonWithBigInts({ jsonrpc: '2.0', error: errorObject(invalidRequest()), id: null })
    }
    return stringifyJsonWithBigInts(parsed.map((request) => answerOne(request, methods)))
  }
  return stringifyJsonWithBigInts(answerOne(parsed, methods))
}

module.exports = {
  RpcError,
  answerJsonRpc,
  invalidParams,
  parseJsonWithBigInts,
  stringifyJsonWithBigInts,
  toU64,
}
