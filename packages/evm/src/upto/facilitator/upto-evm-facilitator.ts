import type {
  PaymentPayload,
  PaymentRequirements,
  ReconcileOutcome,
  ReconcileTarget,
  SchemeFacilitator,
  SettleContext,
  SettleResponse,
  VerifyResponse,
} from '@open402/core'
import {
  type ExactEvmFacilitatorOptions,
  setUpFacilitator,
} from '../../exact/facilitator/facilitator-setup.js'
import { toVerifyResponse } from '../../exact/facilitator/invalid.js'
import { reconcileTransaction } from '../../exact/facilitator/reconcile-transaction.js'
import { refusedSettlement } from '../../exact/facilitator/send-settlement.js'
import { UPTO_PERMIT2 } from '../../permit2/permit2-flavor.js'
import { settleUpto } from '../../permit2/settle-permit2.js'
import { verifyPermit2Payment } from '../../permit2/verify-permit2.js'

/** Options of {@link uptoEvmFacilitator}: the same as `exactEvmFacilitator`'s. */
export type UptoEvmFacilitatorOptions = ExactEvmFacilitatorOptions

/**
 * The facilitator part of the `upto` scheme on EVM: the payer authorizes a maximum through Permit2 for the
 * x402 upto proxy, naming this facilitator (`extra.facilitatorAddress` from `/supported`) as the only one
 * that may settle it; `settle` charges `requirements.amount`, at most the maximum, 0 without a transaction.
 * Verify checks every rule and simulates the full maximum with one RPC round trip for an EOA payer.
 * @example uptoEvmFacilitator({ signer: privateKeyToAccount(key), networks: { 'eip155:8453': 'https://mainnet.base.org' } })
 * @see https://github.com/coinbase/x402/blob/main/specs/schemes/upto/scheme_upto_evm.md
 */
export function uptoEvmFacilitator(options: UptoEvmFacilitatorOptions): SchemeFacilitator {
  const setup = setUpFacilitator(options, 'uptoEvmFacilitator', 'upto')
  const { accounts, networks, settleOptions } = setup
  const addresses = accounts.map((account) => account.address)
  const facilitatorAddress = addresses[0] as (typeof addresses)[number]

  return {
    scheme: 'upto',
    network: 'eip155:*',
    // The payer names the settling facilitator in its signature: the first key here (it settles them all).
    kinds: () =>
      [...networks.values()].map(({ runtime }) => ({
        x402Version: 2,
        scheme: 'upto',
        network: runtime.network,
        extra: { facilitatorAddress },
      })),
    signers: () => ({ 'eip155:*': [...addresses] }),

    async verify(payload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyResponse> {
      const entry = networks.get(requirements.network)
      if (!entry) return toVerifyResponse(setup.unsupported(requirements.network))
      const result = await verifyPermit2Payment(entry.runtime, UPTO_PERMIT2, payload, requirements, {
        simulate: true,
        simulateFrom: facilitatorAddress,
        now: Math.floor(Date.now() / 1000),
        facilitators: addresses,
      })
      return result.ok ? { isValid: true, payer: result.payer } : toVerifyResponse(result)
    },

    async settle(
      payload: PaymentPayload,
      requirements: PaymentRequirements,
      context?: SettleContext,
    ): Promise<SettleResponse> {
      const entry = networks.get(requirements.network)
      if (!entry) return refusedSettlement(requirements.network, setup.unsupported(requirements.network))
      return settleUpto(entry.runtime, entry.senders, payload, requirements, settleOptions, context)
    },

    async reconcile(target: ReconcileTarget): Promise<ReconcileOutcome> {
      const entry = networks.get(target.network)
      if (!entry) return { state: 'unknown' }
      return reconcileTransaction(entry.runtime, target, UPTO_PERMIT2.reasons.revert)
    },
  }
}
