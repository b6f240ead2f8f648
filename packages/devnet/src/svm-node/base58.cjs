'use strict'
// Base58 (Bitcoin alphabet), as Solana encodes addresses, signatures and blockhashes.

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
const INDEX = new Map([...ALPHABET].map((char, index) => [char, index]))

/** @param {Uint8Array} bytes @returns {string} */
function encodeBase58(bytes) {
  let zeros = 0
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++
  const digits = [] // little-endian base-58 digits
  for (let i = zeros; i < bytes.length; i++) {
    let carry = bytes[i]
    for (let j = 0; j < digits.length; j++) {
      carry += digits[j] << 8
      digits[j] = carry % 58
      carry = (carry / 58) | 0
    }
    while (carry > 0) {
      digits.push(carry % 58)
      carry = (carry / 58) | 0
    }
  }
  let out = '1'.repeat(zeros)
  for (let i = digits.length - 1; i >= 0; i--) out += ALPHABET[digits[i]]
  return out
}

/** @param {string} text @returns {Uint8Array} throws on a character outside the alphabet */
function decodeBase58(text) {
  let zeros = 0
  while (zeros < text.length && text[zeros] === '1') zeros++
  const bytes = [] // little-endian
  for (let i = zeros; i < text.length; i++) {
    const value = INDEX.get(text[i])
    if (value === undefined) throw new Error(`invalid base58 character ${JSON.stringify(text[i])}`)
    let carry = value
    for (let j = 0; j < bytes.length; j++) {
      carry += bytes[j] * 58
      bytes[j] = carry & 0xff
      carry >>= 8
    }
    while (carry > 0) {
      bytes.push(carry & 0xff)
      carry >>= 8
    }
  }
  const out = new Uint8Array(zeros + bytes.length)
  for (let i = 0; i < bytes.length; i++) out[out.length - 1 - i] = bytes[i]
  return out
}

/** Decodes a 32-byte address (or hash); throws with `what` in the message otherwise. */
function decodeAddress(text, what = 'address') {
  let bytes
  try {
    bytes = typeof text === 'string' ? decodeBase58(text) : undefined
  } catch {
    bytes = undefined
  }
  if (bytes === undefined || bytes.length !== 32) throw new Error(`Invalid param: invalid ${what}`)
  return bytes
}

module.exports = { encodeBase58, decodeBase58, decodeAddress }
