import type { ErrorReason } from '@open402/core'
import { decodeErrorResult, type Hex, isHex } from 'viem'
import { describeError, type Refusal, refuse } from '../exact/facilitator/invalid.js'
import type { NetworkRuntime } from '../exact/facilitator/network-runtime.js'
import {
  PERMIT2_ADDRESS,
  permit2ReadAbi,
  x402ExactPermit2ProxyAbi,
  x402UptoPermit2ProxyAbi,
} from '../shared/permit2.js'
import type { Eip2612Permit } from '../shared/permit2-payload.js'
import type { CheckedPermit2Payment } from './check-permit2-payment.js'
import type { Permit2Flavor } from './permit2-flavor.js'

/** The reason for each custom error the proxies and Permit2 revert with. */
const REVERT_REASONS: Record<string, ErrorReason> = {
  PaymentTooEarly: 'permit2_payment_too_early',
  InvalidDestination: 'permit2_invalid_destination',
  InvalidOwner: 'permit2_invalid_owner',
  InvalidAmount: 'permit2_invalid_amount',
  InvalidNonce: 'permit2_invalid_nonce',
  Permit2612AmountMismatch: 'permit2_2612_amount_mismatch',
  AmountExceedsPermitted: 'upto_amount_exceeds_permitted',
  UnauthorizedFacilitator: 'upto_unauthorized_facilitator',
  InvalidSignature: 'invalid_permit2_signature',
  InvalidSigner: 'invalid_permit2_signature',
  InvalidSignatureLength: 'invalid_permit2_signature',
  InvalidContractSignature: 'invalid_permit2_signature',
  SignatureExpired: 'permit2_deadline_expired',
}

/** The name of the custom error a failed `eth_call` reverted with, if the node returned its data. */
export function revertErrorName(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 10; depth++) {
    if (typeof current !== 'object') break
    const data = (current as { data?: unknown }).data
    const hex = typeof data === 'string' ? data : (data as { data?: unknown } | undefined)?.data
    if (typeof hex === 'string' && isHex(hex) && hex.length >= 10) {
      try {
        return decodeErrorResult({ abi: [...x402UptoPermit2ProxyAbi], data: hex as Hex }).errorName
      } catch {
        return undefined
      }
    }
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

/**
 * Explains a failed simulation of a proxy settlement with ONE multicall (the proxy's `PERMIT2()`, the
 * payer's balance and allowance for Permit2, Permit2's nonce bitmap word): proxy missing, nonce used,
 * balance short, allowance missing (`permit2_allowance_required`, which resource servers answer with HTTP
 * 412), or the proxy's own revert.
 */
export async function diagnoseFailedPermit2(
  runtime: NetworkRuntime,
  flavor: Permit2Flavor,
  payment: CheckedPermit2Payment,
  permit2612: Eip2612Permit | undefined,
  amount: bigint,
  simulationError: unknown,
): Promise<Refusal> {
  const { payer, asset, authorization } = payment
  const revertName = revertErrorName(simulationError)
  const revert = revertName ?? describeError(simulationError)
  const failed = () =>
    refuse(
      'permit2_simulation_failed',
      `${permit2612 ? 'settleWithPermit' : 'settle'} on the x402 ${flavor.scheme} Permit2 proxy would revert: ${revert}`,
      payer,
    )
  let results: Awaited<ReturnType<typeof multicallDiagnosis>>
  try {
    results = await multicallDiagnosis(runtime, flavor, payment)
  } catch {
    return failed()
  }
  const [proxyPermit2, balance, allowance, bitmap] = results
  if (proxyPermit2.status === 'failure' || proxyPermit2.result !== PERMIT2_ADDRESS) {
    return refuse(
      'permit2_proxy_not_deployed',
      `the x402 ${flavor.scheme} Permit2 proxy ${flavor.proxy} is not deployed on ${runtime.network} (or does not use Permit2 ${PERMIT2_ADDRESS})`,
      payer,
    )
  }
  if (bitmap.status === 'success' && (bitmap.result >> (authorization.nonce & 0xffn)) & 1n) {
    return refuse(
      'permit2_invalid_nonce',
      `Permit2 nonce ${authorization.nonce} of ${payer} was already used or invalidated`,
      payer,
    )
  }
  if (balance.status === 'success' && balance.result < amount) {
    return refuse(
      'permit2_insufficient_balance',
      `payer ${payer} holds ${balance.result} of ${asset}, the payment needs ${amount}`,
      payer,
    )
  }
  if (allowance.status === 'success' && allowance.result < amount) {
    return refuse(
      'permit2_allowance_required',
      permit2612
        ? `payer ${payer} allows Permit2 ${allowance.result} of ${asset} and the EIP-2612 permit in the payment would not raise it to ${amount} (${revert})`
        : `payer ${payer} allows Permit2 only ${allowance.result} of ${asset}, the payment needs ${amount}: approve Permit2 ${PERMIT2_ADDRESS} on the token once, or pay with the eip2612GasSponsoring extension`,
      payer,
    )
  }
  const reason = revertName === undefined ? undefined : REVERT_REASONS[revertName]
  if (reason !== undefined) {
    return refuse(
      reason,
      `the x402 ${flavor.scheme} Permit2 proxy would revert with ${revertName} (${reason})`,
      payer,
    )
  }
  return failed()
}

function multicallDiagnosis(runtime: NetworkRuntime, flavor: Permit2Flavor, payment: CheckedPermit2Payment) {
  const token = { address: payment.asset, abi: permit2ReadAbi } as const
  return runtime.client.multicall({
    multicallAddress: runtime.multicallAddress,
    allowFailure: true,
    contracts: [
      { address: flavor.proxy, abi: x402ExactPermit2ProxyAbi, functionName: 'PERMIT2' },
      { ...token, functionName: 'balanceOf', args: [payment.payer] },
      { ...token, functionName: 'allowance', args: [payment.payer, PERMIT2_ADDRESS] },
      {
        address: PERMIT2_ADDRESS,
        abi: permit2ReadAbi,
        functionName: 'nonceBitmap',
        args: [payment.payer, payment.authorization.nonce >> 8n],
      },
    ],
  })
}
