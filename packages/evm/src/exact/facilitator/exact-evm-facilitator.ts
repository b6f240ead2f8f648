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
import { EXACT_PERMIT2 } from '../../permit2/permit2-flavor.js'
import { settleExactPermit2 } from '../../permit2/settle-permit2.js'
import { verifyPermit2Payment } from '../../permit2/verify-permit2.js'
import { isPermit2Payload } from '../../shared/permit2-payload.js'
import { type ExactEvmFacilitatorOptions, nextSender, setUpFacilitator } from './facilitator-setup.js'
import { toVerifyResponse } from './invalid.js'
import { reconcileTransaction } from './reconcile-transaction.js'
import { refusedSettlement } from './send-settlement.js'
import { settlePayment } from './settle.js'
import { verifyPayment } from './verify.js'

export type { ExactEvmFacilitatorOptions, ExactEvmFacilitatorSigner } from './facilitator-setup.js'

/**
 * The facilitator part of the `exact` scheme on EVM: EIP-3009 payments, and Permit2 payments (a
 * `permit2Authorization` payload, `extra.assetTransferMethod: "permit2"`) through the x402 exact Permit2
 * proxy, with the `eip2612GasSponsoring` extension. Verifies with one RPC round trip for an EOA payer and
 * settles with a local nonce manager, cached fees and a receipt timeout.
 * @example exactEvmFacilitator({ signer: privateKeyToAccount(key), networks: { 'eip155:8453': 'https://mainnet.base.org' } })
 * @see https://github.com/coinbase/x402/blob/main/specs/schemes/exact/scheme_exact_evm.md
 */
export function exactEvmFacilitator(options: ExactEvmFacilitatorOptions): SchemeFacilitator {
  const setup = setUpFacilitator(options, 'exactEvmFacilitator', 'exact')
  const { accounts, networks, settleOptions } = setup
  const firstAccount = accounts[0] as (typeof accounts)[number]

  return {
    scheme: 'exact',
    network: 'eip155:*',
    kinds: () =>
      [...networks.values()].map(({ runtime }) => ({
        x402Version: 2,
        scheme: 'exact',
        network: runtime.network,
      })),
    signers: () => ({ 'eip155:*': accounts.map((account) => account.address) }),

    async verify(payload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyResponse> {
      const entry = networks.get(requirements.network)
      if (!entry) return toVerifyResponse(setup.unsupported(requirements.network))
      const checks = {
        simulate: true,
        simulateFrom: firstAccount.address,
        now: Math.floor(Date.now() / 1000),
      }
      const result = isPermit2Payload(payload.payload)
        ? await verifyPermit2Payment(entry.runtime, EXACT_PERMIT2, payload, requirements, checks)
        : await verifyPayment(entry.runtime, payload, requirements, checks)
      return result.ok ? { isValid: true, payer: result.payer } : toVerifyResponse(result)
    },

    async settle(
      payload: PaymentPayload,
      requirements: PaymentRequirements,
      context?: SettleContext,
    ): Promise<SettleResponse> {
      const entry = networks.get(requirements.network)
      if (!entry) return refusedSettlement(requirements.network, setup.unsupported(requirements.network))
      const sender = nextSender(entry)
      return isPermit2Payload(payload.payload)
        ? settleExactPermit2(entry.runtime, sender, payload, requirements, settleOptions, context)
        : settlePayment(entry.runtime, sender, payload, requirements, settleOptions, context)
    },

    async reconcile(target: ReconcileTarget): Promise<ReconcileOutcome> {
      const entry = networks.get(target.network)
      if (!entry) return { state: 'unknown' }
      return reconcileTransaction(entry.runtime, target)
    },
  }
}
