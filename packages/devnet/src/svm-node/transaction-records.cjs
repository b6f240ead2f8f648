'use strict'
// What the node remembers about landed transactions, for getSignatureStatuses, getTransaction,
// getTransactionCount and getRecentPrioritizationFees. Bounded: the oldest records go first.

const MAX_RECORDS = 100_000
const FEE_WINDOW_SLOTS = 150n

class TransactionRecords {
  constructor() {
    /** signature → record ({ slot, blockTime, err, … }) in landing order */
    this.bySignature = new Map()
    /** slot → { min: bigint, byAccount: Map<address, bigint> } for recent slots with transactions */
    this.feesBySlot = new Map()
    this.count = 0n
  }

  has(signature) {
    return this.bySignature.has(signature)
  }

  get(signature) {
    return this.bySignature.get(signature)
  }

  add(signature, record) {
    this.bySignature.set(signature, record)
    this.count += 1n
    if (this.bySignature.size > MAX_RECORDS) {
      const oldest = this.bySignature.keys().next().value
      this.bySignature.delete(oldest)
    }
    if (record.computeUnitPrice === undefined) return
    const price = record.computeUnitPrice
    let fees = this.feesBySlot.get(record.slot)
    if (fees === undefined) {
      fees = { min: price, byAccount: new Map() }
      this.feesBySlot.set(record.slot, fees)
      for (const slot of this.feesBySlot.keys()) {
        if (slot + FEE_WINDOW_SLOTS < record.slot) this.feesBySlot.delete(slot)
      }
    }
    if (price < fees.min) fees.min = price
    for (const account of record.writable) {
      const known = fees.byAccount.get(account)
      if (known === undefined || price < known) fees.byAccount.set(account, price)
    }
  }

  /**
   * getRecentPrioritizationFees: per recent slot with transactions, the lowest price paid in it, or with
   * `addresses`, the highest of the lowest prices paid by transactions writing each of them.
   */
  prioritizationFees(addresses, currentSlot) {
    const entries = []
    for (const [slot, fees] of this.feesBySlot) {
      if (slot + FEE_WINDOW_SLOTS < currentSlot) continue
      let fee = fees.min
      for (const address of addresses) {
        const price = fees.byAccount.get(address)
        if (price !== undefined && price > fee) fee = price
      }
      entries.push({ slot, prioritizationFee: fee })
    }
    return entries
  }
}

module.exports = { TransactionRecords }
