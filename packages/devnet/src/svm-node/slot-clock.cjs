'use strict'
// The devnet's slots and blockhashes. A slot passes every `slotMs` of wall-clock time (the block height is
// the slot: no slot is skipped); each slot has its own blockhash, derived from a per-start random salt so
// transactions signed for one devnet never replay on the next. A blockhash stays valid for 150 blocks
// after its slot, as on a real cluster (MAX_PROCESSING_AGE): lastValidBlockHeight = slot + 150.
const { createHash, randomBytes } = require('node:crypto')
const { encodeBase58 } = require('./base58.cjs')

const MAX_PROCESSING_AGE = 150n
const SLOTS_PER_EPOCH = 432_000n
const PRUNE_ABOVE = 4096

class SlotClock {
  /** @param {{ slotMs: number, onSlot: (slot: bigint, unixTimestamp: bigint) => void }} options */
  constructor({ slotMs, onSlot }) {
    this.slotMs = slotMs
    this.onSlot = onSlot
    this.startedAt = Date.now()
    this.salt = randomBytes(32)
    this.slot = 0n
    /** blockhash → slot, for every blockhash handed out or current since the last prune */
    this.issued = new Map()
    this.onSlot(0n, BigInt(Math.floor(this.startedAt / 1000)))
    this.remember(0n)
  }

  /** Advances to the slot the wall clock is in; call before answering any request. */
  tick() {
    const now = Date.now()
    const slot = BigInt(Math.floor((now - this.startedAt) / this.slotMs))
    if (slot <= this.slot) return
    this.slot = slot
    this.onSlot(slot, BigInt(Math.floor(now / 1000)))
    this.remember(slot)
  }

  blockhashAt(slot) {
    const slotBytes = Buffer.alloc(8)
    slotBytes.writeBigUInt64LE(slot)
    return encodeBase58(createHash('sha256').update(this.salt).update(slotBytes).digest())
  }

  remember(slot) {
    this.issued.set(this.blockhashAt(slot), slot)
    if (this.issued.size <= PRUNE_ABOVE) return
    for (const [hash, issuedAt] of this.issued) {
      if (issuedAt + MAX_PROCESSING_AGE < this.slot) this.issued.delete(hash)
    }
  }

  get blockHeight() {
    return this.slot
  }

  /** The current slot's blockhash and the last block height at which a transaction may use it. */
  latestBlockhash() {
    return { blockhash: this.blockhashAt(this.slot), lastValidBlockHeight: this.slot + MAX_PROCESSING_AGE }
  }

  /** Whether a transaction using `blockhash` would be accepted now. */
  isValid(blockhash) {
    const slot = this.issued.get(blockhash)
    return slot !== undefined && this.slot <= slot + MAX_PROCESSING_AGE
  }

  unixTimestamp() {
    return Math.floor(Date.now() / 1000)
  }

  epochInfo(transactionCount) {
    return {
      absoluteSlot: this.slot,
      blockHeight: this.slot,
      epoch: this.slot / SLOTS_PER_EPOCH,
      slotIndex: this.slot % SLOTS_PER_EPOCH,
      slotsInEpoch: SLOTS_PER_EPOCH,
      transactionCount,
    }
  }
}

module.exports = { MAX_PROCESSING_AGE, SLOTS_PER_EPOCH, SlotClock }
