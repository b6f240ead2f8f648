import { type Hex, hashTypedData, size } from 'viem'
import type { SignatureKind } from '../exact/facilitator/check-signature.js'
import { isValidSignatureOnChain } from '../exact/facilitator/check-signature.js'
import { describeError, type Refusal, refuse } from '../exact/facilitator/invalid.js'
import type { NetworkRuntime } from '../exact/facilitator/network-runtime.js'
import { recoverSigner } from '../exact/facilitator/recovered-signers.js'
import { EXACT_PERMIT2_WITNESS_TYPES, permit2Domain, UPTO_PERMIT2_WITNESS_TYPES } from '../shared/permit2.js'
import type { Permit2Authorization } from '../shared/permit2-payload.js'
import type { CheckedPermit2Payment } from './check-permit2-payment.js'

/** The EIP-712 digest the payer signs for a Permit2 witness transfer (Permit2's domain, no version). */
export function permit2Digest(chainId: number, authorization: Permit2Authorization): Hex {
  const { permitted, spender, nonce, deadline, witness } = authorization
  const message = { permitted, spender, nonce, deadline }
  if (witness.facilitator !== undefined) {
    return hashTypedData({
      domain: permit2Domain(chainId),
      types: UPTO_PERMIT2_WITNESS_TYPES,
      primaryType: 'PermitWitnessTransferFrom',
      message: {
        ...message,
        witness: { to: witness.to, facilitator: witness.facilitator, validAfter: witness.validAfter },
      },
    })
  }
  return hashTypedData({
    domain: permit2Domain(chainId),
    types: EXACT_PERMIT2_WITNESS_TYPES,
    primaryType: 'PermitWitnessTransferFrom',
    message: { ...message, witness: { to: witness.to, validAfter: witness.validAfter } },
  })
}

/**
 * Whether the Permit2 signature is by `from`: local ECDSA recovery (65 or 64 bytes); otherwise one
 * `eth_call` of EIP-1271 `isValidSignature` on the payer, which only a contract wallet answers.
 */
export async function checkPermit2Signature(
  runtime: Pick<NetworkRuntime, 'client' | 'network' | 'chainId'>,
  payment: CheckedPermit2Payment,
): Promise<{ ok: true; kind: SignatureKind } | Refusal> {
  const { authorization, signature, payer } = payment
  const digest = permit2Digest(runtime.chainId, authorization)
  const bytes = size(signature)
  if (bytes === 65 || bytes === 64) {
    const recovered = await recoverSigner(digest, signature)
    if (recovered === payer) return { ok: true, kind: 'ecdsa' }
  }
  const answer = await isValidSignatureOnChain(runtime.client, payer, digest, signature)
  if (answer === 'valid') return { ok: true, kind: 'contract' }
  if (answer instanceof Error) {
    return refuse(
      'unexpected_verify_error',
      `could not check the contract signature of ${payer} on ${runtime.network}: ${describeError(answer)}`,
      payer,
    )
  }
  return refuse(
    'invalid_permit2_signature',
    answer === 'no-code'
      ? `signature does not recover to permit2Authorization.from ${payer} over Permit2's EIP-712 domain {name: "Permit2", chainId: ${runtime.chainId}, verifyingContract: Permit2} with the ${authorization.witness.facilitator === undefined ? 'exact' : 'upto'} witness`
      : `contract wallet ${payer} rejected the Permit2 signature (EIP-1271 isValidSignature)`,
    payer,
  )
}
