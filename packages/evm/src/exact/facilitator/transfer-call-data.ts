import { encodeFunctionData, type Hex, parseSignature } from 'viem'
import { eip3009Abi } from '../../shared/eip3009-abi.js'
import type { TransferAuthorization } from '../../shared/transfer-with-authorization.js'
import type { SignatureKind } from './check-signature.js'

/**
 * Calldata of `transferWithAuthorization`: the `(v, r, s)` overload for an ECDSA signature (every EIP-3009
 * token has it), the `bytes signature` overload for contract-wallet signatures (USDC v2.2 and later).
 */
export function transferCallData(
  authorization: TransferAuthorization,
  signature: Hex,
  kind: SignatureKind,
): Hex {
  const { from, to, value, validAfter, validBefore, nonce } = authorization
  if (kind === 'ecdsa') {
    const { r, s, yParity } = parseSignature(signature)
    return encodeFunctionData({
      abi: eip3009Abi,
      functionName: 'transferWithAuthorization',
      args: [from, to, value, validAfter, validBefore, nonce, yParity + 27, r, s],
    })
  }
  return encodeFunctionData({
    abi: eip3009Abi,
    functionName: 'transferWithAuthorization',
    args: [from, to, value, validAfter, validBefore, nonce, signature],
  })
}
