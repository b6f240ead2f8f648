import type { PaymentPayload, PaymentRequirements } from '@open402/core'
import type { Address, Hex } from 'viem'
import { isTransportError, type SignatureKind } from '../exact/facilitator/check-signature.js'
import { describeError, type Refusal, refuse } from '../exact/facilitator/invalid.js'
import type { NetworkRuntime } from '../exact/facilitator/network-runtime.js'
import type { Eip2612Permit } from '../shared/permit2-payload.js'
import {
  type CheckedPermit2Payment,
  checkEip2612Permit,
  checkPermit2Payment,
} from './check-permit2-payment.js'
import { checkPermit2Signature } from './check-permit2-signature.js'
import { diagnoseFailedPermit2 } from './diagnose-permit2.js'
import { exactPermit2CallData, uptoPermit2CallData } from './permit2-call-data.js'
import type { Permit2Flavor } from './permit2-flavor.js'

/** A Permit2 payment that passed every rule, with the proxy calldata that executes it. */
export interface VerifiedPermit2Payment extends CheckedPermit2Payment {
  kind: SignatureKind
  permit2612: Eip2612Permit | undefined
  /** The proxy call for `amount`; the account that must send it (upto: `witness.facilitator`). */
  callData: Hex
  amount: bigint
}

/**
 * Checks a Permit2 payment: every local rule (no RPC), the signature (local ECDSA recovery; one `eth_call`
 * only for contract wallets), the EIP-2612 permit of the `eip2612GasSponsoring` extension if any, then, if
 * `simulate`, one `eth_call` of the proxy settlement from `simulateFrom` — whose success also proves balance,
 * allowance, nonce and time. Only a failed simulation costs a second call (the diagnosis).
 * `amount` is what the call moves: the exact amount, or for upto the maximum (verify) or the charge (settle).
 */
export async function verifyPermit2Payment(
  runtime: NetworkRuntime,
  flavor: Permit2Flavor,
  payload: PaymentPayload,
  requirements: PaymentRequirements,
  options: {
    simulate: boolean
    simulateFrom: Address
    now: number
    facilitators?: readonly Address[]
    amount?: bigint
  },
): Promise<VerifiedPermit2Payment | Refusal> {
  const checked = checkPermit2Payment(flavor, payload, requirements, options.now, options.facilitators)
  if (!checked.ok) return checked
  const signature = await checkPermit2Signature(runtime, checked)
  if (!signature.ok) return signature
  const extension = checkEip2612Permit(payload, checked, options.now)
  if (!extension.ok) return extension
  const permit2612 = extension.permit
  const amount = options.amount ?? checked.authorization.permitted.amount
  const callData =
    flavor.scheme === 'upto'
      ? uptoPermit2CallData(checked.authorization, checked.signature, amount, permit2612)
      : exactPermit2CallData(checked.authorization, checked.signature, permit2612)
  const verified: VerifiedPermit2Payment = { ...checked, kind: signature.kind, permit2612, callData, amount }
  if (!options.simulate) return verified
  // The upto proxy accepts only the facilitator its witness names (one of ours, checked above) as caller.
  const from = checked.authorization.witness.facilitator ?? options.simulateFrom
  const simulated = await simulatePermit2(runtime, flavor, verified, from)
  return simulated ?? verified
}

/** One `eth_call` of the proxy settlement from `from`; a refusal (diagnosed) when it would revert. */
export async function simulatePermit2(
  runtime: NetworkRuntime,
  flavor: Permit2Flavor,
  payment: VerifiedPermit2Payment,
  from: Address,
): Promise<Refusal | undefined> {
  try {
    await runtime.client.call({ account: from, to: flavor.proxy, data: payment.callData })
    return undefined
  } catch (error) {
    if (isTransportError(error)) {
      return refuse(
        'unexpected_verify_error',
        `could not simulate the settlement on ${runtime.network}: ${describeError(error)}`,
        payment.payer,
      )
    }
    return diagnoseFailedPermit2(runtime, flavor, payment, payment.permit2612, payment.amount, error)
  }
}
