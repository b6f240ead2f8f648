import { type FacilitatorClient, isErrorReason, type PaymentRequirements } from '@open402/core'
import type { OutcomeLabels } from '../facilitator-metrics.js'

/**
 * Builds metric labels for verify and settle outcomes. Scheme and network come from the request, so only
 * kinds the facilitator lists in `/supported` keep their names (others become `other`), and only registry
 * reason codes are kept: a client cannot grow the number of time series.
 */
export function createOutcomeLabeler(facilitator: FacilitatorClient) {
  let kinds: Promise<Set<string> | undefined> | undefined
  const known = () => {
    kinds ??= facilitator.supported().then(
      (supported) => new Set(supported.kinds.map((kind) => `${kind.scheme} ${kind.network}`)),
      () => {
        kinds = undefined
        return undefined
      },
    )
    return kinds
  }
  return async (requirements: PaymentRequirements, result: string, reason: string | undefined) => {
    const listed = (await known())?.has(`${requirements.scheme} ${requirements.network}`) ?? false
    const labels: OutcomeLabels = {
      scheme: listed ? requirements.scheme : 'other',
      network: listed ? requirements.network : 'other',
      result,
      reason: reason === undefined ? 'none' : isErrorReason(reason) ? reason : 'other',
    }
    return labels
  }
}
