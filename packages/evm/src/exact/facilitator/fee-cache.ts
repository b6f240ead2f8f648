import type { PublicClient } from 'viem'

/** Fee fields of a transaction: EIP-1559 or legacy. */
export type Fees =
  | { type: 'eip1559'; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }
  | { type: 'legacy'; gasPrice: bigint }

const ONE_GWEI = 1_000_000_000n

/**
 * Fees fetched once and reused for `refreshMs`, so a settlement does not pay two round trips for them.
 * `maxFeePerGas` is twice the base fee plus the tip: it stays valid for several blocks of base fee growth.
 */
export class FeeCache {
  private cached: { fees: Fees; at: number } | undefined
  private inflight: Promise<Fees> | undefined

  constructor(
    private readonly client: PublicClient,
    private readonly refreshMs: number,
  ) {}

  /** Current fees, from the cache when fresh. */
  get(): Promise<Fees> {
    if (this.cached && Date.now() - this.cached.at < this.refreshMs) return Promise.resolve(this.cached.fees)
    if (!this.inflight) {
      this.inflight = this.fetch()
        .then((fees) => {
          this.cached = { fees, at: Date.now() }
          return fees
        })
        .finally(() => {
          this.inflight = undefined
        })
    }
    return this.inflight
  }

  /** Forgets the cached fees (e.g. after a node refused a transaction as underpriced). */
  invalidate(): void {
    this.cached = undefined
  }

  private async fetch(): Promise<Fees> {
    const [block, tip] = await Promise.all([
      this.client.getBlock({ blockTag: 'latest' }),
      this.client
        .request({ method: 'eth_maxPriorityFeePerGas' })
        .then((value) => BigInt(value))
        .catch(() => undefined),
    ])
    const baseFee = block.baseFeePerGas
    if (baseFee === null || baseFee === undefined) {
      const gasPrice = await this.client.getGasPrice()
      return { type: 'legacy', gasPrice: (gasPrice * 12n) / 10n }
    }
    const maxPriorityFeePerGas = tip ?? ONE_GWEI
    return { type: 'eip1559', maxFeePerGas: baseFee * 2n + maxPriorityFeePerGas, maxPriorityFeePerGas }
  }
}
