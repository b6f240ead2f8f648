import { eip3009Abi } from '../../shared/eip3009-abi.js'
import type { CheckedPayment } from './check-payment.js'
import { describeError, type Refusal, refuse } from './invalid.js'
import type { NetworkRuntime } from './network-runtime.js'

/**
 * Explains a failed simulation with ONE multicall (`balanceOf`, `authorizationState`, `name`, `version`):
 * nonce used, name or version mismatch, insufficient balance, no EIP-3009, or the revert itself.
 */
export async function diagnoseFailedTransfer(
  runtime: NetworkRuntime,
  payment: CheckedPayment,
  simulationError: unknown,
): Promise<Refusal> {
  const { payer, asset, authorization, domain } = payment
  const revert = describeError(simulationError)
  const token = { address: asset, abi: eip3009Abi } as const
  let results: Awaited<ReturnType<typeof multicallDiagnosis>>
  try {
    results = await multicallDiagnosis(runtime, token, payment)
  } catch {
    return refuse(
      'invalid_exact_evm_transaction_simulation_failed',
      `transferWithAuthorization on ${asset} would revert: ${revert}`,
      payer,
    )
  }
  const [balance, used, name, version] = results
  if (used.status === 'failure') {
    return refuse(
      'invalid_exact_evm_eip3009_not_supported',
      `token ${asset} on ${runtime.network} does not implement EIP-3009 (authorizationState failed)`,
      payer,
    )
  }
  if (used.result) {
    return refuse(
      'invalid_exact_evm_nonce_already_used',
      `authorization nonce ${authorization.nonce} of ${payer} was already used or canceled on ${asset}`,
      payer,
    )
  }
  if (name.status === 'success' && name.result !== domain.name) {
    return refuse(
      'invalid_exact_evm_token_name_mismatch',
      `requirements.extra.name is "${domain.name}" but token ${asset} has name() "${name.result}"`,
      payer,
    )
  }
  if (version.status === 'success' && version.result !== domain.version) {
    return refuse(
      'invalid_exact_evm_token_version_mismatch',
      `requirements.extra.version is "${domain.version}" but token ${asset} has version() "${version.result}"`,
      payer,
    )
  }
  if (balance.status === 'success' && balance.result < authorization.value) {
    return refuse(
      'invalid_exact_evm_insufficient_balance',
      `payer ${payer} holds ${balance.result} of ${asset}, the payment needs ${authorization.value}`,
      payer,
    )
  }
  return refuse(
    'invalid_exact_evm_transaction_simulation_failed',
    `transferWithAuthorization on ${asset} would revert: ${revert}`,
    payer,
  )
}

function multicallDiagnosis(
  runtime: NetworkRuntime,
  token: { address: CheckedPayment['asset']; abi: typeof eip3009Abi },
  payment: CheckedPayment,
) {
  return runtime.client.multicall({
    multicallAddress: runtime.multicallAddress,
    allowFailure: true,
    contracts: [
      { ...token, functionName: 'balanceOf', args: [payment.payer] },
      { ...token, functionName: 'authorizationState', args: [payment.payer, payment.authorization.nonce] },
      { ...token, functionName: 'name' },
      { ...token, functionName: 'version' },
    ],
  })
}
