import {
  type Address,
  decodeFunctionResult,
  encodeFunctionData,
  type Hex,
  type PublicClient,
  size,
} from 'viem'
import { EIP1271_MAGIC_VALUE, eip1271Abi } from '../../shared/eip3009-abi.js'
import { authorizationDigest } from './authorization-digest.js'
import type { CheckedPayment } from './check-payment.js'
import { describeError, type Refusal, refuse } from './invalid.js'
import type { NetworkRuntime } from './network-runtime.js'
import { recoverSigner } from './recovered-signers.js'

/** How a signature was proven: recovered locally (EOA) or accepted by the payer's contract (EIP-1271). */
export type SignatureKind = 'ecdsa' | 'contract'

/** Suffix of an ERC-6492 signature for a wallet that is not deployed yet. */
const ERC6492_MAGIC_SUFFIX = '6492649264926492649264926492649264926492649264926492649264926492'

/** Whether the authorization's signature is by `from`, and how to pass it to the token. */
export async function checkSignature(
  runtime: Pick<NetworkRuntime, 'client' | 'network' | 'chainId'>,
  payment: CheckedPayment,
): Promise<{ ok: true; kind: SignatureKind } | Refusal> {
  const { client, network, chainId } = runtime
  const { authorization, signature, payer } = payment
  const { name, version } = payment.domain
  const digest = authorizationDigest(chainId, payment.asset, name, version, authorization)
  const bytes = size(signature)
  if (bytes === 65 && (await recoversTo(digest, signature, payer))) return { ok: true, kind: 'ecdsa' }

  // Not an ECDSA signature by `from`: it can only be valid if `from` is a contract wallet (EIP-1271).
  const contractAnswer = await isValidSignatureOnChain(client, payer, digest, signature)
  if (contractAnswer === 'valid') return { ok: true, kind: 'contract' }
  if (contractAnswer === 'no-code') {
    if (bytes <= 65) {
      return refuse(
        'invalid_exact_evm_payload_signature',
        `signature does not recover to authorization.from ${payer} over the EIP-712 domain {name: "${payment.domain.name}", version: "${payment.domain.version}", chainId: ${chainId}, verifyingContract: ${payment.asset}}`,
        payer,
      )
    }
    const counterfactual = signature.toLowerCase().endsWith(ERC6492_MAGIC_SUFFIX)
    return refuse(
      'invalid_exact_evm_payload_undeployed_smart_wallet',
      counterfactual
        ? `payer ${payer} is an undeployed (ERC-6492) smart wallet; deploy the wallet before paying`
        : `payer ${payer} has no contract code, so its ${bytes}-byte signature cannot be checked (expected a deployed EIP-1271 wallet or a 65-byte ECDSA signature)`,
      payer,
    )
  }
  if (contractAnswer instanceof Error) {
    return refuse(
      'unexpected_verify_error',
      `could not check the contract signature of ${payer} on ${network}: ${describeError(contractAnswer)}`,
      payer,
    )
  }
  return refuse(
    'invalid_exact_evm_payload_signature',
    `contract wallet ${payer} rejected the signature (EIP-1271 isValidSignature did not return ${EIP1271_MAGIC_VALUE})`,
    payer,
  )
}

async function recoversTo(digest: Hex, signature: Hex, expected: Address): Promise<boolean> {
  const recovered = await recoverSigner(digest, signature)
  return recovered !== null && recovered.toLowerCase() === expected.toLowerCase()
}

/**
 * One `eth_call` of `isValidSignature` on the payer: empty return data means the address has no code.
 * A revert or a wrong answer means the wallet rejects the signature; a transport failure is returned.
 */
export async function isValidSignatureOnChain(
  client: PublicClient,
  wallet: Address,
  digest: Hex,
  signature: Hex,
): Promise<'valid' | 'invalid' | 'no-code' | Error> {
  const data = encodeFunctionData({
    abi: eip1271Abi,
    functionName: 'isValidSignature',
    args: [digest, signature],
  })
  let result: Hex | undefined
  try {
    result = (await client.call({ to: wallet, data })).data
  } catch (error) {
    return isTransportError(error) ? (error as Error) : 'invalid'
  }
  if (result === undefined || result === '0x') return 'no-code'
  try {
    const magic = decodeFunctionResult({ abi: eip1271Abi, functionName: 'isValidSignature', data: result })
    return magic.toLowerCase() === EIP1271_MAGIC_VALUE ? 'valid' : 'invalid'
  } catch {
    return 'invalid'
  }
}

/** Whether a viem error is about reaching the node rather than an answer from it. */
export function isTransportError(error: unknown): boolean {
  let current: unknown = error
  for (let depth = 0; depth < 10 && current; depth++) {
    const name = (current as { name?: unknown }).name
    if (name === 'HttpRequestError' || name === 'TimeoutError' || name === 'WebSocketRequestError')
      return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}
