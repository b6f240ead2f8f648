'use strict'
// The devnet's Solana chain: litesvm with the devnet's slot clock, its own blockhash window (litesvm alone
// accepts only its current blockhash), preflight, the record of landed transactions, and account reads.
const { Account, Clock, LiteSvm } = require('litesvm/dist/internal')
const { decodeAddress, decodeBase58, encodeBase58 } = require('./base58.cjs')
const { RpcError } = require('./json-rpc.cjs')
const { SLOTS_PER_EPOCH, SlotClock } = require('./slot-clock.cjs')
const { readTokenAccount, tokenStateKind, uiTokenAmount } = require('./token-state.cjs')
const { transactionErrorJson, transactionErrorText } = require('./transaction-errors.cjs')
const { innerInstructionsOf, returnDataOf } = require('./transaction-metadata.cjs')
const { TransactionRecords } = require('./transaction-records.cjs')
const {
  SYSTEM_PROGRAM,
  computeBudget,
  isStaticWritable,
  loadedAddresses,
  transactionFee,
} = require('./wire-transaction.cjs')

const HISTORY_CAPACITY = 100_000n
const NONCE_ACCOUNT_SIZE = 80
const FAUCET_LAMPORTS = 2n ** 62n

class SvmChain {
  /**
   * @param {{ slotMs: number, genesisHash: string, accounts: { address: string, owner: string, lamports?: string,
   *   data: string, executable?: boolean }[] }} config genesis accounts, data in base64; lamports default
   *   to the rent-exempt minimum for the data
   */
  constructor(config) {
    this.svm = new LiteSvm()
    this.svm.setLamports(FAUCET_LAMPORTS) // requestAirdrop's source
    this.svm.setBlockhashCheck(false) // the slot clock checks lifetimes instead
    this.svm.setTransactionHistory(HISTORY_CAPACITY)
    this.svm.setSigverify(true)
    this.genesisHash = config.genesisHash
    this.decimalsCache = new Map()
    this.records = new TransactionRecords()
    for (const account of config.accounts) {
      const data = Buffer.from(account.data, 'base64')
      const lamports =
        account.lamports === undefined
          ? this.svm.minimumBalanceForRentExemption(BigInt(data.length))
          : BigInt(account.lamports)
      this.svm.setAccount(
        decodeAddress(account.address),
        new Account(
          lamports,
          data,
          decodeAddress(account.owner),
          account.executable === true,
          2n ** 64n - 1n,
        ),
      )
    }
    const genesisTimestamp = BigInt(Math.floor(Date.now() / 1000))
    this.clock = new SlotClock({
      slotMs: config.slotMs,
      onSlot: (slot, unixTimestamp) => {
        const epoch = slot / SLOTS_PER_EPOCH
        this.svm.setClock(new Clock(slot, genesisTimestamp, epoch, epoch + 1n, unixTimestamp))
        this.svm.expireBlockhash() // durable nonces advance once per slot, as on a cluster
      },
    })
  }

  /** An account as plain data, or null: `{ lamports, data, owner, executable, rentEpoch }`. */
  readAccount(address) {
    const account = this.svm.getAccount(decodeAddress(address))
    if (account === null) return null
    return {
      lamports: account.lamports(),
      data: account.data(),
      owner: encodeBase58(account.owner()),
      executable: account.executable(),
      rentEpoch: account.rentEpoch(),
    }
  }

  /** The decimals of a mint, or null when `address` is not a mint. */
  mintDecimals(address) {
    const cached = this.decimalsCache.get(address)
    if (cached !== undefined) return cached
    let account
    try {
      account = this.readAccount(address)
    } catch {
      return null
    }
    if (account === null || tokenStateKind(account.owner, account.data) !== 'mint') return null
    const decimals = account.data[44] ?? 0
    this.decimalsCache.set(address, decimals)
    return decimals
  }

  /** The static and lookup-table account keys of a parsed transaction. */
  accountKeys(parsed) {
    const loaded = loadedAddresses(parsed, (address) => this.readAccount(address)?.data ?? null) ?? {
      writable: [],
      readonly: [],
    }
    return { all: [...parsed.staticKeys, ...loaded.writable, ...loaded.readonly], loaded }
  }

  /** Whether the transaction's lifetime is valid now: a recent blockhash, or its durable nonce. */
  hasValidLifetime(parsed) {
    if (this.clock.isValid(parsed.recentBlockhash)) return true
    const first = parsed.instructions[0]
    if (first === undefined || parsed.staticKeys[first.programIdIndex] !== SYSTEM_PROGRAM) return false
    const isAdvanceNonce = first.data.length === 4 && first.data[0] === 4 && first.data[1] === 0
    const nonceAddress = parsed.staticKeys[first.accounts[0] ?? -1]
    if (!isAdvanceNonce || nonceAddress === undefined) return false
    const nonce = this.readAccount(nonceAddress)
    if (nonce === null || nonce.owner !== SYSTEM_PROGRAM || nonce.data.length !== NONCE_ACCOUNT_SIZE)
      return false
    return encodeBase58(nonce.data.subarray(40, 72)) === parsed.recentBlockhash
  }

  /** Runs litesvm's simulation with signature checks on or off; returns its result. */
  rawSimulate(bytes, parsed, sigVerify) {
    this.svm.setSigverify(sigVerify)
    try {
      return parsed.version === 'legacy'
        ? this.svm.simulateLegacyTransaction(bytes)
        : this.svm.simulateVersionedTransaction(bytes)
    } finally {
      this.svm.setSigverify(true)
    }
  }

  /**
   * simulateTransaction's value. `options`: sigVerify, replaceRecentBlockhash, innerInstructions (bool),
   * accounts ({ addresses, encoding }) with `encodeAccount(account, config)` to encode them.
   */
  simulate(bytes, parsed, options, formatInner, encodeAccount) {
    const replacementBlockhash = options.replaceRecentBlockhash ? this.clock.latestBlockhash() : null
    const base = {
      accounts: null,
      fee: transactionFee(parsed),
      innerInstructions: null,
      replacementBlockhash,
      returnData: null,
    }
    if (!options.replaceRecentBlockhash && !this.hasValidLifetime(parsed)) {
      return { err: 'BlockhashNotFound', logs: [], unitsConsumed: 0n, ...base }
    }
    // litesvm checks its history only when it verifies signatures; a validator always does.
    if (this.records.has(parsed.signature)) {
      return { err: 'AlreadyProcessed', logs: [], unitsConsumed: 0n, ...base }
    }
    const result = this.rawSimulate(bytes, parsed, options.sigVerify)
    const failed = typeof result.err === 'function'
    const meta = result.meta()
    const value = {
      err: failed ? transactionErrorJson(result.err()) : null,
      logs: meta.logs(),
      unitsConsumed: meta.computeUnitsConsumed(),
      ...base,
      returnData: returnDataOf(meta),
    }
    if (options.innerInstructions) value.innerInstructions = formatInner(innerInstructionsOf(meta), parsed)
    if (!failed && options.accounts !== undefined && options.accounts !== null) {
      const post = new Map(
        result.postAccounts().map((entry) => {
          const account = entry.account()
          return [
            encodeBase58(entry.address),
            {
              lamports: account.lamports(),
              data: account.data(),
              owner: encodeBase58(account.owner()),
              executable: account.executable(),
              rentEpoch: account.rentEpoch(),
            },
          ]
        }),
      )
      value.accounts = options.accounts.addresses.map((address) =>
        encodeAccount(post.has(address) ? post.get(address) : this.readAccount(address), options.accounts),
      )
    }
    return value
  }

  /** sendTransaction: preflight unless skipped, then lands the transaction; returns its signature. */
  send(bytes, parsed, { skipPreflight }, formatInner) {
    if (!skipPreflight) {
      const value = this.simulate(bytes, parsed, { sigVerify: true }, formatInner, () => null)
      if (value.err === 'SignatureFailure') {
        throw new RpcError(-32003, 'Transaction signature verification failure')
      }
      if (value.err !== null) {
        throw new RpcError(-32002, `Transaction simulation failed: ${transactionErrorText(value.err)}`, {
          ...value,
          loadedAccountsDataSize: 0,
        })
      }
    }
    const { signature } = parsed
    // Like a cluster with preflight skipped: a transaction that cannot land (stale blockhash, a duplicate,
    // a bad signature, no funds for the fee) is dropped, and its signature never gets a status.
    if (this.records.has(signature) || !this.hasValidLifetime(parsed)) return signature
    const keys = this.accountKeys(parsed)
    const pre = this.snapshot(keys.all)
    const result =
      parsed.version === 'legacy'
        ? this.svm.sendLegacyTransaction(bytes)
        : this.svm.sendVersionedTransaction(bytes)
    const failed = typeof result.err === 'function'
    if (failed && this.svm.getTransaction(decodeBase58(signature)) === null) return signature
    const meta = failed ? result.meta() : result
    const post = this.snapshot(keys.all)
    this.records.add(signature, {
      slot: this.clock.slot,
      blockTime: this.clock.unixTimestamp(),
      err: failed ? transactionErrorJson(result.err()) : null,
      bytes: Uint8Array.from(bytes),
      parsed,
      keys,
      fee: transactionFee(parsed),
      preBalances: pre.balances,
      postBalances: post.balances,
      preTokenBalances: pre.tokenBalances,
      postTokenBalances: post.tokenBalances,
      logs: meta.logs(),
      innerInstructions: innerInstructionsOf(meta),
      computeUnitsConsumed: meta.computeUnitsConsumed(),
      returnData: returnDataOf(meta),
      computeUnitPrice: computeBudget(parsed).price,
      writable: keys.all.filter((_key, index) =>
        index < parsed.staticKeys.length
          ? isStaticWritable(parsed, index)
          : index < parsed.staticKeys.length + keys.loaded.writable.length,
      ),
    })
    return signature
  }

  /** Lamports and token balances of `keys`, as getTransaction's pre/post fields list them. */
  snapshot(keys) {
    const balances = []
    const tokenBalances = []
    keys.forEach((key, accountIndex) => {
      const account = this.readAccount(key)
      balances.push(account === null ? 0n : account.lamports)
      if (account === null || tokenStateKind(account.owner, account.data) !== 'account') return
      const token = readTokenAccount(account.data)
      const decimals = this.mintDecimals(token.mint)
      if (decimals === null) return
      tokenBalances.push({
        accountIndex,
        mint: token.mint,
        owner: token.owner,
        programId: account.owner,
        uiTokenAmount: uiTokenAmount(token.amount, decimals),
      })
    })
    return { balances, tokenBalances }
  }

  /** requestAirdrop: moves lamports from litesvm's faucet; returns the airdrop's signature. */
  airdrop(address, lamports) {
    const result = this.svm.airdrop(decodeAddress(address), lamports)
    if (result === null) throw new RpcError(-32603, 'Internal error: airdrop failed')
    if (typeof result.err === 'function') {
      const reason = transactionErrorText(transactionErrorJson(result.err()))
      throw new RpcError(-32603, `Internal error: airdrop failed: ${reason}`)
    }
    const signature = encodeBase58(result.signature())
    this.records.add(signature, { slot: this.clock.slot, blockTime: this.clock.unixTimestamp(), err: null })
    return signature
  }
}

module.exports = { SvmChain }
