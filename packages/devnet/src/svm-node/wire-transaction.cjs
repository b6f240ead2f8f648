'use strict'
// Reads Solana wire-format transactions and messages (legacy and v0) without a Solana SDK: the signatures,
// header, account keys, recent blockhash, instructions and address-table lookups; and the fee they pay.
const { encodeBase58 } = require('./base58.cjs')

const COMPUTE_BUDGET_PROGRAM = 'ComputeBudget111111111111111111111111111111'
const SYSTEM_PROGRAM = '11111111111111111111111111111111'
// Programs whose instructions reserve 3,000 compute units by default instead of 200,000.
const BUILTIN_PROGRAMS = new Set([
  SYSTEM_PROGRAM,
  COMPUTE_BUDGET_PROGRAM,
  'Vote111111111111111111111111111111111111111',
  'Stake11111111111111111111111111111111111111',
  'Config1111111111111111111111111111111111111',
  'AddressLookupTab1e1111111111111111111111111',
  'BPFLoader1111111111111111111111111111111111',
  'BPFLoader2111111111111111111111111111111111',
  'BPFLoaderUpgradeab1e11111111111111111111111',
  'LoaderV411111111111111111111111111111111111',
])
const LAMPORTS_PER_SIGNATURE = 5000n
const MAX_COMPUTE_UNIT_LIMIT = 1_400_000n
const LOOKUP_TABLE_META_SIZE = 56

class Reader {
  constructor(bytes) {
    this.bytes = bytes
    this.offset = 0
  }
  byte() {
    if (this.offset >= this.bytes.length) throw new Error('unexpected end of data')
    return this.bytes[this.offset++]
  }
  take(length) {
    if (this.offset + length > this.bytes.length) throw new Error('unexpected end of data')
    const slice = this.bytes.subarray(this.offset, this.offset + length)
    this.offset += length
    return slice
  }
  shortVec() {
    let value = 0
    for (let shift = 0; shift < 21; shift += 7) {
      const byte = this.byte()
      value |= (byte & 0x7f) << shift
      if ((byte & 0x80) === 0) return value
    }
    throw new Error('invalid compact-u16 length')
  }
}

function readMessage(reader) {
  const start = reader.offset
  const first = reader.bytes[start]
  let version = 'legacy'
  if (first !== undefined && (first & 0x80) !== 0) {
    version = reader.byte() & 0x7f
    if (version !== 0) throw new Error(`unsupported transaction version ${version}`)
  }
  const header = {
    numRequiredSignatures: reader.byte(),
    numReadonlySignedAccounts: reader.byte(),
    numReadonlyUnsignedAccounts: reader.byte(),
  }
  const staticKeys = Array.from({ length: reader.shortVec() }, () => reader.take(32))
  const recentBlockhash = reader.take(32)
  const instructions = Array.from({ length: reader.shortVec() }, () => {
    const programIdIndex = reader.byte()
    const accounts = Array.from(reader.take(reader.shortVec()))
    const data = reader.take(reader.shortVec())
    return { programIdIndex, accounts, data }
  })
  const lookups =
    version === 'legacy'
      ? []
      : Array.from({ length: reader.shortVec() }, () => ({
          accountKey: encodeBase58(reader.take(32)),
          writableIndexes: Array.from(reader.take(reader.shortVec())),
          readonlyIndexes: Array.from(reader.take(reader.shortVec())),
        }))
  const keys = staticKeys.map(encodeBase58)
  if (header.numRequiredSignatures === 0 || header.numRequiredSignatures > keys.length) {
    throw new Error('invalid message header')
  }
  for (const instruction of instructions) {
    if (instruction.programIdIndex >= keys.length) throw new Error('invalid program id index')
  }
  return {
    version,
    header,
    staticKeys: keys,
    recentBlockhash: encodeBase58(recentBlockhash),
    instructions,
    lookups,
    messageBytes: reader.bytes.subarray(start, reader.offset),
  }
}

/** Parses a wire transaction; throws an Error describing what is malformed. */
function parseTransaction(bytes) {
  const reader = new Reader(bytes)
  const signatures = Array.from({ length: reader.shortVec() }, () => reader.take(64))
  const message = readMessage(reader)
  if (reader.offset !== bytes.length) throw new Error('trailing bytes after the message')
  if (signatures.length !== message.header.numRequiredSignatures) {
    throw new Error('signature count does not match the message header')
  }
  return { ...message, signatures: signatures.map(encodeBase58), signature: encodeBase58(signatures[0]) }
}

/** Parses a wire message (as getFeeForMessage receives it). */
function parseMessage(bytes) {
  const reader = new Reader(bytes)
  const message = readMessage(reader)
  if (reader.offset !== bytes.length) throw new Error('trailing bytes after the message')
  return message
}

/** Whether the static account key at `index` is writable, from the message header. */
function isStaticWritable(message, index) {
  const { numRequiredSignatures, numReadonlySignedAccounts, numReadonlyUnsignedAccounts } = message.header
  if (index < numRequiredSignatures) return index < numRequiredSignatures - numReadonlySignedAccounts
  return index < message.staticKeys.length - numReadonlyUnsignedAccounts
}

/**
 * The addresses the message loads through address lookup tables, read with `readAccountData(address)`
 * (null when the table is missing or too short).
 */
function loadedAddresses(message, readAccountData) {
  const writable = []
  const readonly = []
  for (const lookup of message.lookups) {
    const data = readAccountData(lookup.accountKey)
    const at = (index) => {
      const start = LOOKUP_TABLE_META_SIZE + index * 32
      if (data === null || start + 32 > data.length) return null
      return encodeBase58(data.subarray(start, start + 32))
    }
    for (const index of lookup.writableIndexes) writable.push(at(index))
    for (const index of lookup.readonlyIndexes) readonly.push(at(index))
  }
  if ([...writable, ...readonly].includes(null)) return null
  return { writable, readonly }
}

/** The compute budget a message asks for: its unit limit and price (micro-lamports per unit). */
function computeBudget(message) {
  let limit
  let price = 0n
  let defaultLimit = 0n
  for (const instruction of message.instructions) {
    const program = message.staticKeys[instruction.programIdIndex]
    const { data } = instruction
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
    if (program === COMPUTE_BUDGET_PROGRAM && data[0] === 2 && data.length >= 5) {
      limit = BigInt(view.getUint32(1, true))
    }
    if (program === COMPUTE_BUDGET_PROGRAM && data[0] === 3 && data.length >= 9) {
      price = view.getBigUint64(1, true)
    }
    defaultLimit += BUILTIN_PROGRAMS.has(program) ? 3000n : 200_000n
  }
  const units = limit ?? defaultLimit
  return { limit: units < MAX_COMPUTE_UNIT_LIMIT ? units : MAX_COMPUTE_UNIT_LIMIT, price }
}

/** The fee in lamports: 5,000 per signature plus the prioritization fee (limit × price, rounded up). */
function transactionFee(message) {
  const { limit, price } = computeBudget(message)
  const priority = (limit * price + 999_999n) / 1_000_000n
  return BigInt(message.header.numRequiredSignatures) * LAMPORTS_PER_SIGNATURE + priority
}

module.exports = {
  SYSTEM_PROGRAM,
  computeBudget,
  isStaticWritable,
  loadedAddresses,
  parseMessage,
  parseTransaction,
  transactionFee,
}
