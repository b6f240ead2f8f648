'use strict'
// Reads SPL Token and Token-2022 mint and token accounts from their bytes, for jsonParsed account data,
// getTokenAccountBalance, getTokenAccountsByOwner and a transaction's token balances.
const { encodeBase58 } = require('./base58.cjs')

const TOKEN_PROGRAM = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA'
const TOKEN_2022_PROGRAM = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb'
const TOKEN_PROGRAMS = new Set([TOKEN_PROGRAM, TOKEN_2022_PROGRAM])
const MINT_SIZE = 82
const ACCOUNT_SIZE = 165
const ACCOUNT_TYPE_MINT = 1
const ACCOUNT_TYPE_ACCOUNT = 2
const EXTENSION_IMMUTABLE_OWNER = 7

const view = (data) => new DataView(data.buffer, data.byteOffset, data.byteLength)
const key = (data, offset) => encodeBase58(data.subarray(offset, offset + 32))
const optionalKey = (data, offset) =>
  view(data).getUint32(offset, true) === 0 ? null : key(data, offset + 4)

/** 'mint', 'account' or null, from the owner program and the account's size and type byte. */
function tokenStateKind(owner, data) {
  if (!TOKEN_PROGRAMS.has(owner)) return null
  if (data.length === MINT_SIZE) return 'mint'
  if (data.length === ACCOUNT_SIZE) return 'account'
  if (owner !== TOKEN_2022_PROGRAM || data.length <= ACCOUNT_SIZE) return null
  if (data[ACCOUNT_SIZE] === ACCOUNT_TYPE_MINT) return 'mint'
  if (data[ACCOUNT_SIZE] === ACCOUNT_TYPE_ACCOUNT) return 'account'
  return null
}

function readMint(data) {
  return {
    mintAuthority: optionalKey(data, 0),
    supply: view(data).getBigUint64(36, true),
    decimals: data[44],
    isInitialized: data[45] === 1,
    freezeAuthority: optionalKey(data, 46),
  }
}

function readTokenAccount(data) {
  const state = ['uninitialized', 'initialized', 'frozen'][data[108]] ?? 'uninitialized'
  const isNative = view(data).getUint32(109, true) !== 0
  return {
    mint: key(data, 0),
    owner: key(data, 32),
    amount: view(data).getBigUint64(64, true),
    delegate: optionalKey(data, 72),
    state,
    isNative,
    rentExemptReserve: isNative ? view(data).getBigUint64(113, true) : null,
    delegatedAmount: view(data).getBigUint64(121, true),
    closeAuthority: optionalKey(data, 129),
  }
}

/** The Token-2022 extensions in TLV form after the account type byte, as jsonParsed names a few. */
function extensionsOf(data) {
  if (data.length <= ACCOUNT_SIZE + 1) return undefined
  const extensions = []
  let offset = ACCOUNT_SIZE + 1
  while (offset + 4 <= data.length) {
    const type = view(data).getUint16(offset, true)
    const length = view(data).getUint16(offset + 2, true)
    if (type === 0) break
    extensions.push(
      type === EXTENSION_IMMUTABLE_OWNER
        ? { extension: 'immutableOwner' }
        : { extension: 'unparseableExtension' },
    )
    offset += 4 + length
  }
  return extensions
}

/** `{ amount, decimals, uiAmount, uiAmountString }` as the RPC writes a token amount. */
function uiTokenAmount(amount, decimals) {
  const digits = amount.toString().padStart(decimals + 1, '0')
  const whole = digits.slice(0, digits.length - decimals)
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '')
  const uiAmountString = fraction === '' ? whole : `${whole}.${fraction}`
  return { amount: amount.toString(), decimals, uiAmount: Number(uiAmountString), uiAmountString }
}

/**
 * The jsonParsed form of a token program account, or null when it is not one. `mintDecimals(mint)` gives
 * a mint's decimals (null if unknown).
 */
function parseTokenAccountData(owner, data, mintDecimals) {
  const kind = tokenStateKind(owner, data)
  if (kind === null) return null
  const program = owner === TOKEN_PROGRAM ? 'spl-token' : 'spl-token-2022'
  let info
  if (kind === 'mint') {
    const mint = readMint(data)
    info = { ...mint, supply: mint.supply.toString() }
  } else {
    const account = readTokenAccount(data)
    const decimals = mintDecimals(account.mint)
    if (decimals === null) return null
    info = {
      isNative: account.isNative,
      mint: account.mint,
      owner: account.owner,
      state: account.state,
      tokenAmount: uiTokenAmount(account.amount, decimals),
    }
    if (account.delegate !== null) {
      info.delegate = account.delegate
      info.delegatedAmount = uiTokenAmount(account.delegatedAmount, decimals)
    }
    if (account.closeAuthority !== null) info.closeAuthority = account.closeAuthority
    if (account.rentExemptReserve !== null) {
      info.rentExemptReserve = uiTokenAmount(account.rentExemptReserve, decimals)
    }
  }
  const extensions = owner === TOKEN_2022_PROGRAM ? extensionsOf(data) : undefined
  if (extensions !== undefined && extensions.length > 0) info.extensions = extensions
  return { program, parsed: { info, type: kind }, space: data.length }
}

module.exports = {
  TOKEN_2022_PROGRAM,
  TOKEN_PROGRAM,
  TOKEN_PROGRAMS,
  parseTokenAccountData,
  readMint,
  readTokenAccount,
  tokenStateKind,
  uiTokenAmount,
}
