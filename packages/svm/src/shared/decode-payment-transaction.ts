import {
  type Address,
  type CompiledTransactionMessage,
  getBase64Encoder,
  getCompiledTransactionMessageDecoder,
  getTransactionDecoder,
  type ReadonlyUint8Array,
  type Transaction,
} from '@solana/kit'

/** One instruction of a decoded transaction, with its program and accounts resolved to addresses. */
export interface DecodedInstruction {
  programAddress: Address
  programIndex: number
  accounts: Address[]
  accountIndices: number[]
  data: ReadonlyUint8Array
}

/** A decoded legacy or v0 transaction: wire form, compiled message and resolved instructions. */
export interface DecodedPaymentTransaction {
  transaction: Transaction
  message: Exclude<CompiledTransactionMessage, { version: 1 }>
  feePayer: Address
  /** The accounts that must sign, fee payer first. */
  signers: Address[]
  instructions: DecodedInstruction[]
  /** Whether the message loads accounts from address lookup tables (their addresses are not resolved). */
  usesLookupTables: boolean
}

const base64 = getBase64Encoder()
const transactionDecoder = getTransactionDecoder()
const messageDecoder = getCompiledTransactionMessageDecoder()

/**
 * Decodes a base64 wire transaction (signatures + message) without any RPC. Accounts loaded from lookup
 * tables are not resolved: instructions that use them keep only their static accounts' addresses.
 */
export function decodePaymentTransaction(
  wire: string,
): { ok: true; decoded: DecodedPaymentTransaction } | { ok: false; message: string } {
  let transaction: Transaction
  let message: CompiledTransactionMessage
  try {
    const bytes = base64.encode(wire)
    transaction = transactionDecoder.decode(bytes)
    // The wire decoder takes every byte after the signatures as the message: reject trailing bytes.
    const [decoded, end] = messageDecoder.read(transaction.messageBytes, 0)
    if (end !== transaction.messageBytes.length) {
      return { ok: false, message: `${transaction.messageBytes.length - end} bytes follow the message` }
    }
    message = decoded
  } catch (error) {
    return {
      ok: false,
      message: `payload.transaction is not a base64 serialized Solana transaction (${firstLine(error)})`,
    }
  }
  if (message.version === 1) {
    return { ok: false, message: 'version 1 transactions are not accepted; send a legacy or v0 transaction' }
  }
  const { staticAccounts, header } = message
  const feePayer = staticAccounts[0]
  if (feePayer === undefined || header.numSignerAccounts < 1) {
    return { ok: false, message: 'the transaction has no fee payer' }
  }
  const usesLookupTables = message.version === 0 && (message.addressTableLookups?.length ?? 0) > 0
  const instructions: DecodedInstruction[] = []
  for (const [position, compiled] of message.instructions.entries()) {
    const programAddress = staticAccounts[compiled.programAddressIndex]
    if (programAddress === undefined) {
      return { ok: false, message: `instruction ${position} names a program outside the static accounts` }
    }
    const accountIndices = compiled.accountIndices ?? []
    const accounts: Address[] = []
    for (const index of accountIndices) {
      const account = staticAccounts[index]
      if (account !== undefined) accounts.push(account)
      else if (!usesLookupTables) {
        return {
          ok: false,
          message: `instruction ${position} uses account index ${index}, which does not exist`,
        }
      }
    }
    instructions.push({
      programAddress,
      programIndex: compiled.programAddressIndex,
      accounts,
      accountIndices: [...accountIndices],
      data: compiled.data ?? new Uint8Array(),
    })
  }
  return {
    ok: true,
    decoded: {
      transaction,
      message,
      feePayer,
      signers: staticAccounts.slice(0, header.numSignerAccounts),
      instructions,
      usesLookupTables,
    },
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  const line = text.split('\n')[0] ?? ''
  return line.length > 160 ? `${line.slice(0, 157)}...` : line
}
