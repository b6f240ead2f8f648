import { type PaymentRequirements, X402Error } from '@open402/core'
import { type Address, bytesToHex, type Hex, isAddress, type TypedDataDefinition } from 'viem'
import type { ExactEvmPayload } from '../../shared/exact-evm-payload.js'
import {
  eip3009Domain,
  type TRANSFER_WITH_AUTHORIZATION_TYPES,
  transferWithAuthorizationTypedData,
} from '../../shared/transfer-with-authorization.js'

/** Signs EIP-712 typed data for the payer; a viem `LocalAccount` or a `WalletClient` with an account. */
export type TypedDataSigner = (
  typedData: TypedDataDefinition<typeof TRANSFER_WITH_AUTHORIZATION_TYPES, 'TransferWithAuthorization'>,
) => Promise<Hex>

/** Times and nonce of an authorization; tests pin them, production uses the defaults. */
export interface AuthorizationOptions {
  /** Seconds since the epoch; defaults to the clock. */
  now?: number
  /** How far before `now` the authorization becomes valid (clock skew between client and chain); default 600. */
  validAfterSkewSeconds?: number
  /** A 32-byte nonce; defaults to a random one. */
  nonce?: Hex
}

/**
 * Builds and signs the EIP-3009 `TransferWithAuthorization` for `requirements`: `validAfter = now - 600`,
 * `validBefore = now + maxTimeoutSeconds`, a random 32-byte nonce (scheme_exact_evm.md).
 */
export async function signTransferAuthorization(
  sign: TypedDataSigner,
  from: Address,
  requirements: PaymentRequirements,
  options: AuthorizationOptions = {},
): Promise<ExactEvmPayload> {
  const name = requirements.extra?.name
  const version = requirements.extra?.version
  if (typeof name !== 'string' || typeof version !== 'string') {
    throw new X402Error(
      'invalid_config',
      `requirements for ${requirements.network} asset ${requirements.asset} lack the token's EIP-712 domain: expected extra.name and extra.version strings (e.g. {"name":"USD Coin","version":"2"})`,
    )
  }
  if (
    !isAddress(requirements.asset, { strict: false }) ||
    !isAddress(requirements.payTo, { strict: false })
  ) {
    throw new X402Error(
      'invalid_config',
      `requirements for ${requirements.network} need an asset and payTo that are EVM addresses, got asset ${requirements.asset} and payTo ${requirements.payTo}`,
    )
  }
  const now = options.now ?? Math.floor(Date.now() / 1000)
  const nonce = options.nonce ?? bytesToHex(crypto.getRandomValues(new Uint8Array(32)))
  const message = {
    from,
    to: requirements.payTo as Address,
    value: BigInt(requirements.amount),
    validAfter: BigInt(Math.max(0, now - (options.validAfterSkewSeconds ?? 600))),
    validBefore: BigInt(now + requirements.maxTimeoutSeconds),
    nonce,
  }
  const domain = eip3009Domain(requirements.network, requirements.asset, name, version)
  const signature = await sign(transferWithAuthorizationTypedData(domain, message))
  return {
    signature,
    authorization: {
      from: message.from,
      to: message.to,
      value: message.value.toString(),
      validAfter: message.validAfter.toString(),
      validBefore: message.validBefore.toString(),
      nonce: message.nonce,
    },
  }
}
