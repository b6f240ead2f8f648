'use strict'
// Accounts as the Solana JSON-RPC answers them: { data, executable, lamports, owner, rentEpoch, space },
// with data in base58, base64, base64+zstd or jsonParsed form and an optional dataSlice.
const { encodeBase58 } = require('./base58.cjs')
const { invalidParams, RpcError } = require('./json-rpc.cjs')
const { parseTokenAccountData } = require('./token-state.cjs')

const MAX_BASE58_BYTES = 128
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd]
const ZSTD_MAX_BLOCK = 128 * 1024

/**
 * A valid zstd frame holding `data` in raw (stored) blocks: what base64+zstd clients decompress, without
 * a compressor (Node 20's zlib has none).
 */
function zstdStored(data) {
  const header = [...ZSTD_MAGIC, 0xe0] // single segment, 8-byte content size, no checksum, no dictionary
  const size = new Uint8Array(8)
  new DataView(size.buffer).setBigUint64(0, BigInt(data.length), true)
  const parts = [Uint8Array.from(header), size]
  let offset = 0
  do {
    const length = Math.min(ZSTD_MAX_BLOCK, data.length - offset)
    const last = offset + length >= data.length ? 1 : 0
    const blockHeader = (length << 3) | last // block type 0 (raw)
    parts.push(Uint8Array.of(blockHeader & 0xff, (blockHeader >> 8) & 0xff, (blockHeader >> 16) & 0xff))
    parts.push(data.subarray(offset, offset + length))
    offset += length
  } while (offset < data.length)
  return Buffer.concat(parts)
}

function sliceData(data, dataSlice) {
  if (dataSlice === undefined || dataSlice === null) return data
  const { offset, length } = dataSlice
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw invalidParams('Invalid param: dataSlice offset and length must be unsigned integers')
  }
  return data.subarray(Math.min(offset, data.length), Math.min(offset + length, data.length))
}

/** The `data` field for an encoding; jsonParsed falls back to base64 for accounts it cannot parse. */
function encodeData(account, encoding, dataSlice, mintDecimals) {
  if (encoding === 'jsonParsed') {
    const parsed = parseTokenAccountData(account.owner, account.data, mintDecimals)
    if (parsed !== null) return parsed
    encoding = 'base64'
  }
  const data = sliceData(account.data, dataSlice)
  switch (encoding) {
    case 'base64':
      return [Buffer.from(data).toString('base64'), 'base64']
    case 'base64+zstd':
      return [zstdStored(data).toString('base64'), 'base64+zstd']
    case 'base58':
    case 'binary':
      if (data.length > MAX_BASE58_BYTES) {
        throw new RpcError(
          -32600,
          'Encoded binary (base 58) data should be less than 128 bytes, please use Base64 encoding.',
        )
      }
      return encoding === 'binary' ? encodeBase58(data) : [encodeBase58(data), 'base58']
    default:
      throw invalidParams(`Invalid param: unknown encoding ${JSON.stringify(encoding)}`)
  }
}

/**
 * An account (`{ lamports, data, owner, executable, rentEpoch }`, or null) in RPC form. Encoding defaults
 * to base58, as on a validator.
 */
function encodeAccount(account, config, mintDecimals) {
  if (account === null) return null
  const encoding = config?.encoding ?? 'base58'
  return {
    data: encodeData(account, encoding, config?.dataSlice, mintDecimals),
    executable: account.executable,
    lamports: account.lamports,
    owner: account.owner,
    rentEpoch: account.rentEpoch,
    space: account.data.length,
  }
}

module.exports = { encodeAccount }
