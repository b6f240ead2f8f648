import type { PaymentRequirements } from '@open402/core'
import { bytesToHex } from './base64.js'
import { PaywallError } from './wallet-error.js'

/** The EIP-3009 authorization as the exact EVM payload carries it: numbers are decimal strings. */
export interface TransferAuthorization {
  from: string
  to: string
  value: string
  validAfter: string
  validBefore: string
  nonce: string
}

/** Times and nonce of an authorization; tests pin them, the page uses the clock and random bytes. */
export interface AuthorizationTiming {
  /** Seconds since the epoch. */
  now?: number
  /** A 0x-prefixed 32-byte nonce. */
  nonce?: string
}

/** How far before now the authorization becomes valid, for clock skew (as `@open402/evm`'s client). */
export const VALID_AFTER_SKEW_SECONDS = 600

const ADDRESS = /^0x[0-9a-fA-F]{40}$/

/**
 * The `TransferWithAuthorization` of `requirements` for `from`, and its EIP-712 typed data in the JSON
 * form `eth_signTypedData_v4` takes: the rules of scheme_exact_evm.md and of `@open402/evm`'s
 * `signTransferAuthorization` (domain from `extra.name`/`extra.version`, `validAfter = now - 600`,
 * `validBefore = now + maxTimeoutSeconds`, a random 32-byte nonce).
 */
export function transferAuthorizationTypedData(
  requirements: PaymentRequirements,
  from: string,
  chainId: number,
  timing: AuthorizationTiming = {},
): { authorization: TransferAuthorization; typedData: string } {
  const name = requirements.extra?.name
  const version = requirements.extra?.version
  if (typeof name !== 'string' || typeof version !== 'string') {
    throw new PaywallError(
      "This offer cannot be paid: it does not name the token's EIP-712 domain (extra.name and extra.version).",
    )
  }
  if (!ADDRESS.test(requirements.asset) || !ADDRESS.test(requirements.payTo)) {
    throw new PaywallError('This offer cannot be paid: its asset and recipient must be EVM addresses.')
  }
  const now = timing.now ?? Math.floor(Date.now() / 1000)
  const authorization: TransferAuthorization = {
    from,
    to: requirements.payTo,
    value: requirements.amount,
    validAfter: String(Math.max(0, now - VALID_AFTER_SKEW_SECONDS)),
    validBefore: String(now + requirements.maxTimeoutSeconds),
    nonce: timing.nonce ?? `0x${bytesToHex(crypto.getRandomValues(new Uint8Array(32)))}`,
  }
  const typedData = {
    types: {
      EIP712Domain: [
        { name: 'name', type: 'string' },
        { name: 'version', type: 'string' },
        { name: 'chainId', type: 'uint256' },
        { name: 'verifyingContract', type: 'address' },
      ],
      TransferWithAuthorization: [
        { name: 'from', type: 'address' },
        { name: 'to', type: 'address' },
        { name: 'value', type: 'uint256' },
        { name: 'validAfter', type: 'uint256' },
        { name: 'validBefore', type: 'uint256' },
        { name: 'nonce', type: 'bytes32' },
      ],
    },
    primaryType: 'TransferWithAuthorization',
    domain: { name, version, chainId, verifyingContract: requirements.asset },
    message: authorization,
  }
  return { authorization, typedData: JSON.stringify(typedData) }
}
