import type { BroadcastIntent } from '@open402/core'
import { type Address, type Hex, keccak256, type LocalAccount } from 'viem'
import { isTransportError } from './check-signature.js'
import { describeError } from './invalid.js'
import type { NetworkRuntime } from './network-runtime.js'

/** Records a signed transaction before it is broadcast; resolving false stops the broadcast. */
export type BeforeBroadcast = (transaction: BroadcastIntent) => Promise<boolean>

/** The transaction was signed but not broadcast because `beforeBroadcast` refused it. */
export class BroadcastRefused extends Error {
  constructor(readonly hash: Hex) {
    super(`transaction ${hash} was not broadcast: its record was refused`)
  }
}

/**
 * A send that failed. `mayHaveBroadcast` is true when the node could not be reached after the signed bytes
 * left: the transaction (`hash`) may be in a node's pool and mined later, so it is not a plain failure.
 */
export class SendFailure extends Error {
  constructor(
    message: string,
    readonly hash: Hex | undefined,
    readonly mayHaveBroadcast = false,
  ) {
    super(message)
  }
}

const NONCE_ERRORS =
  /nonce too low|nonce has already been used|replacement transaction underpriced|invalid nonce/i
// The node already holds this very transaction (same signed bytes, so same hash): it was sent, not refused.
const ALREADY_KNOWN = /already known|known transaction|already imported/i
const FEE_ERRORS = /underpriced|max fee per gas less than block base fee|fee cap|transaction fee too low/i

/**
 * The nonce and send queue of one key on one node. Every sender built from the same signer object for the
 * same node uses the same lane, so the `exact` and `upto` facilitator parts given one signer never hand out
 * the same nonce. (Keyed by the signer object, not its address: a facilitator built with a new account object,
 * e.g. for a restarted chain, starts from the node's nonce.)
 */
interface Lane {
  nonce: number | undefined
  queue: Promise<unknown>
}
const lanes = new WeakMap<LocalAccount, Map<string | object, Lane>>()

function laneOf(runtime: NetworkRuntime, account: LocalAccount): Lane {
  const node = typeof runtime.node === 'string' ? `${runtime.chainId} ${runtime.node}` : runtime.node
  let byNode = lanes.get(account)
  if (!byNode) {
    byNode = new Map()
    lanes.set(account, byNode)
  }
  let lane = byNode.get(node)
  if (!lane) {
    lane = { nonce: undefined, queue: Promise.resolve() }
    byNode.set(node, lane)
  }
  return lane
}

/**
 * Sends transactions from one local account on one network with as few round trips as possible: the
 * chain id is known, fees come from the network's cache, the gas limit is fixed, and the account nonce
 * is kept in memory. Sends are serialised so that concurrent settlements never share a nonce; only the
 * `eth_sendRawTransaction` round trip is inside the critical section.
 */
export class TransactionSender {
  private readonly lane: Lane

  constructor(
    readonly account: LocalAccount,
    private readonly runtime: NetworkRuntime,
  ) {
    this.lane = laneOf(runtime, account)
  }

  get address(): Address {
    return this.account.address
  }

  /**
   * Signs and broadcasts a call; resolves with its hash once a node accepted it. `beforeBroadcast` sees
   * every signed transaction before it is sent (again for a re-signed replacement of a refused one).
   */
  send(call: { to: Address; data: Hex; gas: bigint }, beforeBroadcast?: BeforeBroadcast): Promise<Hex> {
    const run = this.lane.queue.then(() => this.sendNow(call, true, beforeBroadcast))
    this.lane.queue = run.catch(() => undefined)
    return run
  }

  private async sendNow(
    call: { to: Address; data: Hex; gas: bigint },
    retry: boolean,
    beforeBroadcast: BeforeBroadcast | undefined,
  ): Promise<Hex> {
    const { client, chainId, fees } = this.runtime
    let nonce: number
    let fee: Awaited<ReturnType<typeof fees.get>>
    try {
      ;[nonce, fee] = await Promise.all([this.nextNonce(), fees.get()])
    } catch (error) {
      throw new SendFailure(
        `could not prepare the transaction on ${this.runtime.network}: ${describeError(error)}`,
        undefined,
      )
    }
    const serialized = await this.account.signTransaction({
      chainId,
      nonce,
      to: call.to,
      data: call.data,
      gas: call.gas,
      ...fee,
    })
    const hash = keccak256(serialized)
    if (
      beforeBroadcast &&
      !(await beforeBroadcast({ transaction: hash, raw: serialized, signer: this.address }))
    ) {
      throw new BroadcastRefused(hash)
    }
    try {
      await client.request({ method: 'eth_sendRawTransaction', params: [serialized] })
      this.lane.nonce = nonce + 1
      return hash
    } catch (error) {
      this.lane.nonce = undefined
      const message = describeError(error)
      if (isTransportError(error)) {
        // The node may have accepted it before the connection failed: look for it once.
        const seen = await client.getTransaction({ hash }).then(
          () => true,
          () => false,
        )
        if (seen) return hash
        throw new SendFailure(`could not reach the node of ${this.runtime.network}: ${message}`, hash, true)
      }
      if (ALREADY_KNOWN.test(message)) {
        this.lane.nonce = nonce + 1
        return hash
      }
      if (FEE_ERRORS.test(message)) fees.invalidate()
      if (retry && (NONCE_ERRORS.test(message) || FEE_ERRORS.test(message)))
        return this.sendNow(call, false, beforeBroadcast)
      throw new SendFailure(
        `the node refused the settlement transaction from ${this.address}: ${message}`,
        undefined,
      )
    }
  }

  /**
   * Forgets the in-memory nonce so the next send re-reads it from the node (after a transaction that was
   * not mined in time: if the node dropped it, its nonce is reused instead of leaving a gap).
   */
  resyncNonce(): void {
    this.lane.nonce = undefined
  }

  private async nextNonce(): Promise<number> {
    if (this.lane.nonce === undefined) {
      this.lane.nonce = await this.runtime.client.getTransactionCount({
        address: this.address,
        blockTag: 'pending',
      })
    }
    return this.lane.nonce
  }
}
