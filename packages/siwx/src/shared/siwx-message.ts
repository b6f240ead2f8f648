import { X402Error } from '@open402/core'
import type { SiwxInfo } from './types.js'

/** The account names of the chain namespaces CAIP-122 messages exist for. */
const ACCOUNT_NAMES: Record<string, string> = { eip155: 'Ethereum', solana: 'Solana' }

/** What the message is made of: the challenge's fields, the signing wallet and its CAIP-2 chain. */
export type SiwxMessageFields = SiwxInfo & { address: string; chainId: string }

/**
 * The text the wallet signs, rebuilt from the proof's fields (CAIP-122): EIP-4361 (Sign-In with Ethereum)
 * for `eip155:*`, Sign-In-With-Solana for `solana:*`. Both have the same lines; the chain id line holds the
 * CAIP-2 reference (`8453`, the genesis hash prefix on Solana). The one difference is the blank lines when
 * there is no statement: EIP-4361's grammar keeps an empty statement line, SIWS drops it.
 * Written by hand (not viem's `createSiweMessage`) so every field, times included, is signed exactly as sent.
 * @example formatSiwxMessage({ ...challenge.info, address: account.address, chainId: 'eip155:8453' })
 */
export function formatSiwxMessage(fields: SiwxMessageFields): string {
  const separator = fields.chainId.indexOf(':')
  const namespace = fields.chainId.slice(0, separator)
  const reference = fields.chainId.slice(separator + 1)
  const account = ACCOUNT_NAMES[namespace]
  if (separator <= 0 || account === undefined) {
    throw new X402Error(
      'invalid_config',
      `sign-in-with-x: no message format for chain ${JSON.stringify(fields.chainId)} (eip155:* or solana:*)`,
    )
  }
  let text = `${fields.domain} wants you to sign in with your ${account} account:\n${fields.address}\n\n`
  if (fields.statement) text += `${fields.statement}\n\n`
  else if (namespace === 'eip155') text += '\n'
  text += `URI: ${fields.uri}\nVersion: ${fields.version}\nChain ID: ${reference}\nNonce: ${fields.nonce}`
  text += `\nIssued At: ${fields.issuedAt}`
  if (fields.expirationTime) text += `\nExpiration Time: ${fields.expirationTime}`
  if (fields.notBefore) text += `\nNot Before: ${fields.notBefore}`
  if (fields.requestId) text += `\nRequest ID: ${fields.requestId}`
  if (fields.resources) {
    text += '\nResources:'
    for (const resource of fields.resources) text += `\n- ${resource}`
  }
  return text
}
