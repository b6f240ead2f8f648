import type {
  Caip2,
  ErrorReason,
  PaymentPayload,
  PaymentRequirements,
  Price,
  SchemeClient,
  SchemeFacilitator,
  SchemeServer,
} from '@open402/core'

/**
 * The refusals every scheme must give a specific reason for. A plain name (`amount`) is a payment signed
 * for other terms but presented as paying the real requirements (`accepted` is the real offer: what a
 * malicious client sends); a `declared` name is a payment for other terms that says so in `accepted`.
 * `replay` is a payment that already settled, verified again or presented to another facilitator.
 */
export type RefusalCase =
  | 'amount'
  | 'declaredAmount'
  | 'payTo'
  | 'declaredPayTo'
  | 'asset'
  | 'declaredAsset'
  | 'network'
  | 'expired'
  | 'replay'

/** The reason expected for a refusal: one for verify and settle alike, or one per call. */
export type ExpectedRefusal = ErrorReason | { verify: ErrorReason; settle: ErrorReason }

/** A payment made to expire by {@link SchemeUnderTest.expire}. */
export interface ExpiredPayment {
  /** The payment to present: the one given, after time passed, or a copy that has expired. */
  payload: PaymentPayload
  /** Undoes whatever made time pass (a faked clock, say); runs after the case, pass or fail. */
  restore?(): void | Promise<void>
}

/** What a scheme package gives the kit: its three roles wired to a running chain, and how to read it. */
export interface SchemeUnderTest {
  /** The network the payments are made on (a devnet). */
  network: Caip2
  client: SchemeClient
  server: SchemeServer
  /** The scheme's facilitator part; the kit runs it inside core's `createFacilitator`. */
  facilitator: SchemeFacilitator
  /** The route price the server part turns into requirements (`'$0.01'` or an `AssetAmount`). */
  price: Price
  /** Who is paid. The payer is `client.payer(network)`. */
  payTo: string
  /** The balance of `owner` in `asset`, in atomic units, read from the chain. */
  balanceOf(owner: string, asset: string): Promise<bigint>
  /** A recipient other than `payTo`, able to receive the asset (a payment to it must be refused). */
  otherPayTo: string
  /** An asset other than the priced one that the client can sign a payment in. */
  otherAsset: string
  /** A network other than `network` (default: `<namespace>:conformance`). */
  otherNetwork?: Caip2
  /**
   * Makes a valid, unsettled payment expire: make time pass for the facilitator (and return the same
   * payload, with `restore` to bring the clock back) or wait until the chain no longer accepts it.
   */
  expire(payment: PaymentPayload, requirements: PaymentRequirements): Promise<ExpiredPayment>
  /**
   * A second facilitator part on the same chain that shares no memory with `facilitator` (another process,
   * another key): a payment already settled must be refused by it too, from the chain's state alone.
   */
  separateFacilitator(): SchemeFacilitator | Promise<SchemeFacilitator>
  /** The reasons expected per refusal; without one, any registered reason that is not generic passes. */
  expectedReasons?: Partial<Record<RefusalCase, ExpectedRefusal>>
  /** Stops what `setup` started. */
  teardown?(): void | Promise<void>
}

/** Options of {@link runSchemeConformance}. */
export interface SchemeConformanceOptions {
  /** Names the `describe` block every case runs in, e.g. `'exact on eip155 (devnet)'`. */
  name: string
  /** Starts the chain and builds the scheme's parts; runs once, before the cases. */
  setup(): Promise<SchemeUnderTest>
  /** Simultaneous settles of one payment in the concurrency case; default 5. */
  concurrentSettles?: number
}
