'use strict'
// Instructions as the Solana JSON-RPC writes them: compiled ({ programIdIndex, accounts, data }), parsed
// ({ program, programId, parsed: { type, info } }) for the token, system and associated-token-account
// instructions a payment uses, and partially decoded ({ programId, accounts, data }) otherwise.
const { encodeBase58 } = require('./base58.cjs')
const { TOKEN_PROGRAM, TOKEN_PROGRAMS, uiTokenAmount } = require('./token-state.cjs')
const { SYSTEM_PROGRAM } = require('./wire-transaction.cjs')

const ASSOCIATED_TOKEN_PROGRAM = 'ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL'

const u64At = (data, offset) =>
  data.length >= offset + 8 ? new DataView(data.buffer, data.byteOffset).getBigUint64(offset, true) : null

function withAuthority(info, name, accounts) {
  const [authority, ...signers] = accounts
  if (signers.length === 0) return { ...info, [name]: authority }
  const multisigName = `multisig${name[0]?.toUpperCase()}${name.slice(1)}`
  return { ...info, [multisigName]: authority, signers }
}

function parseToken(data, keys) {
  const amount = u64At(data, 1)
  if (amount === null) return null
  switch (data[0]) {
    case 3:
      if (keys.length < 3) return null
      return {
        type: 'transfer',
        info: withAuthority(
          { source: keys[0], destination: keys[1], amount: amount.toString() },
          'authority',
          keys.slice(2),
        ),
      }
    case 12:
      if (keys.length < 4 || data.length < 10) return null
      return {
        type: 'transferChecked',
        info: withAuthority(
          {
            source: keys[0],
            mint: keys[1],
            destination: keys[2],
            tokenAmount: uiTokenAmount(amount, data[9]),
          },
          'authority',
          keys.slice(3),
        ),
      }
    case 7:
      if (keys.length < 3) return null
      return {
        type: 'mintTo',
        info: withAuthority(
          { mint: keys[0], account: keys[1], amount: amount.toString() },
          'mintAuthority',
          keys.slice(2),
        ),
      }
    case 14:
      if (keys.length < 3 || data.length < 10) return null
      return {
        type: 'mintToChecked',
        info: withAuthority(
          { mint: keys[0], account: keys[1], tokenAmount: uiTokenAmount(amount, data[9]) },
          'mintAuthority',
          keys.slice(2),
        ),
      }
    default:
      return null
  }
}

function parseSystem(data, keys) {
  if (data.length < 4) return null
  const kind = new DataView(data.buffer, data.byteOffset).getUint32(0, true)
  if (kind === 2 && keys.length >= 2 && data.length >= 12) {
    return { type: 'transfer', info: { source: keys[0], destination: keys[1], lamports: u64At(data, 4) } }
  }
  if (kind === 0 && keys.length >= 2 && data.length >= 52) {
    return {
      type: 'createAccount',
      info: {
        source: keys[0],
        newAccount: keys[1],
        lamports: u64At(data, 4),
        space: u64At(data, 12),
        owner: encodeBase58(data.subarray(20, 52)),
      },
    }
  }
  return null
}

function parseAssociatedTokenAccount(data, keys) {
  if (data.length > 1 || (data.length === 1 && data[0] > 1) || keys.length < 6) return null
  return {
    type: data[0] === 1 ? 'createIdempotent' : 'create',
    info: {
      source: keys[0],
      account: keys[1],
      wallet: keys[2],
      mint: keys[3],
      systemProgram: keys[4],
      tokenProgram: keys[5],
    },
  }
}

const PARSERS = {
  [TOKEN_PROGRAM]: ['spl-token', parseToken],
  TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb: ['spl-token-2022', parseToken],
  [SYSTEM_PROGRAM]: ['system', parseSystem],
  [ASSOCIATED_TOKEN_PROGRAM]: ['spl-associated-token-account', parseAssociatedTokenAccount],
}

/** The compiled (json) form of an instruction. */
function compiledInstruction(instruction, stackHeight) {
  return {
    programIdIndex: instruction.programIdIndex,
    accounts: instruction.accounts,
    data: encodeBase58(instruction.data),
    stackHeight,
  }
}

/** The jsonParsed form of an instruction, given the transaction's full list of account keys. */
function parsedInstruction(instruction, accountKeys, stackHeight) {
  const programId = accountKeys[instruction.programIdIndex] ?? ''
  const keys = instruction.accounts.map((index) => accountKeys[index] ?? '')
  const parser = PARSERS[programId]
  const parsed = parser === undefined ? null : parser[1](instruction.data, keys)
  if (parsed !== null && parser !== undefined) return { program: parser[0], programId, parsed, stackHeight }
  return { programId, accounts: keys, data: encodeBase58(instruction.data), stackHeight }
}

module.exports = { TOKEN_PROGRAMS, compiledInstruction, parsedInstruction }
