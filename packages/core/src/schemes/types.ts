import type { Caip2 } from '../networks/caip2.js'
import type { NetworkPattern } from '../networks/network-pattern.js'
import type {
  PaymentPayload,
  PaymentRequirements,
  ResourceInfo,
  SettleResponse,
  SupportedKind,
  SupportedResponse,
  VerifyResponse,
} from '../schemas/index.js'

/** An amount already in an asset's atomic units, with scheme data for `extra` (e.g. an EIP-712 domain). */
export interface AssetAmount {
  amount: string
  asset: string
  extra?: Record<string, unknown>
}

/**
 * A route's price: dollars (`"$0.001"`, `"0.001"`, `0.001`) converted with the network's default
 * stablecoin, or an explicit `AssetAmount` in atomic units.
 */
export type Price = string | number | AssetAmount

/** What a scheme client is told besides the requirements it pays. */
export interface PayloadContext {
  x402Version: 2
  resource: ResourceInfo
  /**
   * The extensions this payment echoes: a copy made for this payment (the 402's declarations, plus a
   * payment identifier), which the scheme may add its own info to (e.g. `eip2612GasSponsoring`'s permit).
   */
  extensions?: Record<string, unknown>
}

/** The client part of a scheme: turns chosen requirements into the scheme's signed `payload`. */
export interface SchemeClient {
  readonly scheme: string
  readonly network: NetworkPattern
  /** The address that will pay on `network`, for policies and logs. */
  payer(network: Caip2): string
  /** Decimals of `asset` on `network` if this scheme knows them (used by dollar-denominated policies). */
  decimals?(network: Caip2, asset: string): number | undefined
  createPayload(requirements: PaymentRequirements, context: PayloadContext): Promise<Record<string, unknown>>
}

/** The resource-server part of a scheme: prices in atomic units and scheme data in `extra`. */
export interface SchemeServer {
  readonly scheme: string
  readonly network: NetworkPattern
  /** Converts a route price to an amount of a concrete asset on `network`; throws `X402Error('invalid_price')`. */
  price(price: Price, network: Caip2): AssetAmount
  /**
   * Final touches to requirements built from a route, given the facilitator's matching `/supported` kind
   * (e.g. a fee payer from `kind.extra`). Must be deterministic: the same inputs give the same output.
   */
  complete?(requirements: PaymentRequirements, kind: SupportedKind): PaymentRequirements
}

/** The facilitator part of a scheme: checks a payment against requirements and executes it on chain. */
export interface SchemeFacilitator {
  readonly scheme: string
  readonly network: NetworkPattern
  /** The (scheme, network) kinds this part serves, listed in `/supported`. */
  kinds(): SupportedKind[]
  /** Addresses this part signs with, keyed by CAIP family pattern (`eip155:*`). */
  signers(): Record<string, string[]>
  /** Extension keys this part implements, merged into `/supported`'s `extensions`. */
  extensions?(): string[]
  /** Checks every rule without changing state. */
  verify(payload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyResponse>
  /**
   * Re-verifies and executes the payment; a timeout after sending reports `status: 'pending'` with the tx.
   * A scheme that knows its transaction before broadcasting calls `context.beforeBroadcast` first and does
   * not broadcast when it resolves false.
   */
  settle(
    payload: PaymentPayload,
    requirements: PaymentRequirements,
    context?: SettleContext,
  ): Promise<SettleResponse>
  /**
   * Looks up a transaction recorded before a broadcast whose outcome was never recorded (a crash, a
   * timeout): `confirmed` or `failed` when the chain says so, `unknown` otherwise. May broadcast the same
   * signed bytes again (`raw`), which can never pay twice.
   */
  reconcile?(transaction: ReconcileTarget): Promise<ReconcileOutcome>
}

/** A signed transaction about to be broadcast: its hash or signature, and its bytes when the scheme has them. */
export interface BroadcastIntent {
  transaction: string
  /** The signed transaction as it will be sent (hex on EVM, base64 wire on Solana). */
  raw?: string
  /** The facilitator address that signed it. */
  signer?: string
}

/** What the facilitator gives a scheme's `settle`: the hook that records a transaction before it is sent. */
export interface SettleContext {
  /** Records `transaction` durably; resolves false when the payment must not be broadcast (claim lost, ledger down). */
  beforeBroadcast?(transaction: BroadcastIntent): Promise<boolean>
  /**
   * True when this facilitator found this very payment valid in a `verify` moments ago (2 minutes, same
   * instance): a scheme may skip chain checks that verify just made (e.g. a simulation). When false, a
   * settle may come from a caller that never verified, and the scheme should check the chain before it
   * spends gas.
   */
  verified?: boolean
}

/** A transaction to reconcile: where it was sent and what was recorded before the broadcast. */
export interface ReconcileTarget {
  network: Caip2
  transaction: string
  raw?: string
  payer?: string
}

/** What the chain says about a transaction being reconciled; `response` is the settle answer to record. */
export interface ReconcileOutcome {
  state: 'confirmed' | 'failed' | 'unknown'
  response?: SettleResponse
}

/**
 * What a resource server needs from a facilitator, in process (`createFacilitator`) or over HTTP
 * (`createHttpFacilitatorClient`): the same three calls either way.
 */
export interface FacilitatorClient {
  verify(payload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyResponse>
  settle(payload: PaymentPayload, requirements: PaymentRequirements): Promise<SettleResponse>
  supported(): Promise<SupportedResponse>
}
