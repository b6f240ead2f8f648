'use strict'
// The Solana JSON-RPC methods the devnet answers, with a validator's request and response shapes. Any
// other method answers -32601 "Method not found".
const { decodeAddress, decodeBase58, encodeBase58 } = require('./base58.cjs')
const { encodeAccount } = require('./account-encoding.cjs')
const { parsedInstruction } = require('./instruction-parsing.cjs')
const { invalidParams, toU64 } = require('./json-rpc.cjs')
const { TOKEN_PROGRAMS, tokenStateKind } = require('./token-state.cjs')
const { transactionResponse } = require('./transaction-response.cjs')
const { parseMessage, parseTransaction, transactionFee } = require('./wire-transaction.cjs')

const API_VERSION = '3.0.0'
const MAX_MULTIPLE_ACCOUNTS = 100
const MAX_SIGNATURE_STATUSES = 256

function address(value, what = 'address') {
  try {
    decodeAddress(value, what)
  } catch {
    throw invalidParams('Invalid param: Invalid')
  }
  return value
}

function configOf(value) {
  if (value === undefined || value === null) return {}
  if (typeof value !== 'object' || Array.isArray(value))
    throw invalidParams('Invalid params: config must be an object')
  return value
}

function decodeWire(text, encoding, what) {
  if (typeof text !== 'string') throw invalidParams(`Invalid params: ${what} must be a string`)
  if (encoding === 'base64') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw invalidParams(`invalid base64 encoding: ${what}`)
    return new Uint8Array(Buffer.from(text, 'base64'))
  }
  if (encoding === 'base58' || encoding === undefined) {
    try {
      return decodeBase58(text)
    } catch {
      throw invalidParams(`invalid base58 encoding: ${what}`)
    }
  }
  throw invalidParams(`Invalid param: unsupported encoding ${JSON.stringify(encoding)}`)
}

function decodeTransaction(text, encoding) {
  const bytes = decodeWire(text, encoding, 'transaction')
  try {
    return { bytes, parsed: parseTransaction(bytes) }
  } catch (error) {
    throw invalidParams(`invalid transaction: ${error.message}`)
  }
}

/** The method table for a chain (see chain.cjs). */
function rpcMethods(chain) {
  const context = () => ({ slot: chain.clock.slot, apiVersion: API_VERSION })
  const withContext = (value) => ({ context: context(), value })
  const mintDecimals = (mint) => chain.mintDecimals(mint)
  const account = (key, config) => encodeAccount(chain.readAccount(address(key)), config, mintDecimals)
  const parsedInner = (groups, parsed) => {
    const keys = chain.accountKeys(parsed).all
    return groups.map(({ index, instructions }) => ({
      index,
      instructions: instructions.map((ix) => parsedInstruction(ix, keys, ix.stackHeight)),
    }))
  }
  const programAccounts = (program) =>
    chain.svm.getProgramAccounts(decodeAddress(program)).map((entry) => {
      const raw = entry.account()
      return {
        pubkey: encodeBase58(entry.address),
        account: {
          lamports: raw.lamports(),
          data: raw.data(),
          owner: program,
          executable: raw.executable(),
          rentEpoch: raw.rentEpoch(),
        },
      }
    })

  return {
    getHealth: () => 'ok',
    getVersion: () => ({ 'solana-core': API_VERSION, 'feature-set': 0 }),
    getGenesisHash: () => chain.genesisHash,
    getSlot: () => chain.clock.slot,
    getBlockHeight: () => chain.clock.blockHeight,
    getTransactionCount: () => chain.records.count,
    getEpochInfo: () => chain.clock.epochInfo(chain.records.count),
    getLatestBlockhash: () => withContext(chain.clock.latestBlockhash()),
    isBlockhashValid: (blockhash) => {
      if (typeof blockhash !== 'string') throw invalidParams('Invalid param: blockhash must be a string')
      return withContext(chain.clock.isValid(blockhash))
    },
    getMinimumBalanceForRentExemption: (dataLength) =>
      chain.svm.minimumBalanceForRentExemption(toU64(dataLength ?? 0, 'data length')),
    getBalance: (key) => withContext(chain.readAccount(address(key))?.lamports ?? 0n),
    getAccountInfo: (key, config) => withContext(account(key, configOf(config))),
    getMultipleAccounts: (keys, config) => {
      if (!Array.isArray(keys)) throw invalidParams('Invalid params: expected an array of addresses')
      if (keys.length > MAX_MULTIPLE_ACCOUNTS) {
        throw invalidParams(`Too many inputs provided; max ${MAX_MULTIPLE_ACCOUNTS}`)
      }
      return withContext(keys.map((key) => account(key, configOf(config))))
    },
    getProgramAccounts: (program, rawConfig) => {
      const config = configOf(rawConfig)
      const filters = config.filters ?? []
      const matches = programAccounts(address(program)).filter(({ account: raw }) =>
        filters.every((filter) => matchesFilter(raw.data, filter)),
      )
      const value = matches.map(({ pubkey, account: raw }) => ({
        pubkey,
        account: encodeAccount(raw, config, mintDecimals),
      }))
      return config.withContext === true ? withContext(value) : value
    },
    getTokenAccountBalance: (key) => {
      const raw = chain.readAccount(address(key))
      if (raw === null || tokenStateKind(raw.owner, raw.data) !== 'account') {
        throw invalidParams('Invalid param: not a Token account')
      }
      const parsed = encodeAccount(raw, { encoding: 'jsonParsed' }, mintDecimals).data
      return withContext(parsed.parsed.info.tokenAmount)
    },
    getTokenAccountsByOwner: (owner, filter, rawConfig) => {
      address(owner)
      const config = configOf(rawConfig)
      const { mint, programId } = configOf(filter)
      let program = programId
      if (mint !== undefined) {
        const mintAccount = chain.readAccount(address(mint))
        if (mintAccount === null || tokenStateKind(mintAccount.owner, mintAccount.data) !== 'mint') {
          throw invalidParams('Invalid param: could not find mint')
        }
        program = mintAccount.owner
      }
      if (typeof program !== 'string' || !TOKEN_PROGRAMS.has(program)) {
        throw invalidParams('Invalid param: unrecognized Token program id')
      }
      const ownerBytes = decodeAddress(owner)
      const mintBytes = mint === undefined ? null : decodeAddress(mint)
      const value = programAccounts(program)
        .filter(({ account: raw }) => {
          if (tokenStateKind(program, raw.data) !== 'account') return false
          if (!bytesEqual(raw.data.subarray(32, 64), ownerBytes)) return false
          return mintBytes === null || bytesEqual(raw.data.subarray(0, 32), mintBytes)
        })
        .map(({ pubkey, account: raw }) => ({ pubkey, account: encodeAccount(raw, config, mintDecimals) }))
      return withContext(value)
    },
    getFeeForMessage: (message, config) => {
      const bytes = decodeWire(message, 'base64', 'message')
      let parsed
      try {
        parsed = parseMessage(bytes)
      } catch (error) {
        throw invalidParams(`invalid message: ${error.message}`)
      }
      configOf(config)
      return withContext(chain.hasValidLifetime(parsed) ? transactionFee(parsed) : null)
    },
    getRecentPrioritizationFees: (addresses) => {
      const list = addresses ?? []
      if (!Array.isArray(list)) throw invalidParams('Invalid params: expected an array of addresses')
      if (list.length > 128) throw invalidParams('Too many inputs provided; max 128')
      return chain.records.prioritizationFees(
        list.map((key) => address(key)),
        chain.clock.slot,
      )
    },
    simulateTransaction: (text, rawConfig) => {
      const config = configOf(rawConfig)
      const { bytes, parsed } = decodeTransaction(text, config.encoding)
      const sigVerify = config.sigVerify === true
      const replaceRecentBlockhash = config.replaceRecentBlockhash === true
      if (sigVerify && replaceRecentBlockhash) {
        throw invalidParams('sigVerify may not be used with replaceRecentBlockhash')
      }
      let accounts = null
      if (config.accounts !== undefined && config.accounts !== null) {
        const addresses = configOf(config.accounts).addresses
        if (!Array.isArray(addresses))
          throw invalidParams('Invalid params: accounts.addresses must be an array')
        for (const key of addresses) address(key)
        accounts = { addresses, encoding: config.accounts.encoding ?? 'base64' }
      }
      const value = chain.simulate(
        bytes,
        parsed,
        { sigVerify, replaceRecentBlockhash, innerInstructions: config.innerInstructions === true, accounts },
        parsedInner,
        (raw, accountConfig) => encodeAccount(raw, accountConfig, mintDecimals),
      )
      return withContext(value)
    },
    sendTransaction: (text, rawConfig) => {
      const config = configOf(rawConfig)
      const { bytes, parsed } = decodeTransaction(text, config.encoding)
      return chain.send(bytes, parsed, { skipPreflight: config.skipPreflight === true }, parsedInner)
    },
    getSignatureStatuses: (signatures, config) => {
      if (!Array.isArray(signatures)) throw invalidParams('Invalid params: expected an array of signatures')
      if (signatures.length > MAX_SIGNATURE_STATUSES) {
        throw invalidParams(`Too many inputs provided; max ${MAX_SIGNATURE_STATUSES}`)
      }
      configOf(config)
      return withContext(
        signatures.map((signature) => {
          if (typeof signature !== 'string') throw invalidParams('Invalid param: Invalid')
          const record = chain.records.get(signature)
          if (record === undefined) return null
          return {
            slot: record.slot,
            confirmations: null,
            err: record.err,
            confirmationStatus: 'finalized',
            status: record.err === null ? { Ok: null } : { Err: record.err },
          }
        }),
      )
    },
    getTransaction: (signature, rawConfig) => {
      if (typeof signature !== 'string') throw invalidParams('Invalid param: Invalid')
      const config = typeof rawConfig === 'string' ? { encoding: rawConfig } : configOf(rawConfig)
      const record = chain.records.get(signature)
      if (record === undefined || record.bytes === undefined) return null
      return transactionResponse(record, config)
    },
    requestAirdrop: (key, lamports) => chain.airdrop(address(key), toU64(lamports, 'lamports')),
  }
}

function bytesEqual(a, b) {
  return a.length === b.length && a.every((byte, index) => byte === b[index])
}

function matchesFilter(data, filter) {
  if (filter === null || typeof filter !== 'object') throw invalidParams('Invalid param: invalid filter')
  if ('dataSize' in filter) return data.length === filter.dataSize
  if ('memcmp' in filter) {
    const { offset, bytes, encoding } = filter.memcmp ?? {}
    if (!Number.isSafeInteger(offset) || offset < 0 || typeof bytes !== 'string') {
      throw invalidParams('Invalid param: invalid memcmp filter')
    }
    const expected = decodeWire(bytes, encoding ?? 'base58', 'memcmp bytes')
    return bytesEqual(data.subarray(offset, offset + expected.length), expected)
  }
  throw invalidParams('Invalid param: unknown filter')
}

module.exports = { rpcMethods }
