import type { DevnetDescription } from '@open402/devnet'
import type { Stack } from '../src/stack.js'
import { benchAccounts } from './bench-accounts.js'
import { describeResponse } from './describe-response.js'
import type { SettleFacilitator } from './settle-facilitators.js'
import type { Request, Workload } from './workload.js'

/**
 * `POST /settle` of a valid payment on one of the stack's settle facilitators, a different payment each
 * time. The payments are signed by the stack's own client when the row is about to run (so none nears its
 * `validBefore`), `poolSize` of them, taking turns among the settle payers. A request succeeds on 200 with
 * `success: true`; anything else is a failure, described by the answer's status and body.
 */
export function settleWorkload(
  stack: Stack,
  devnet: DevnetDescription,
  facilitator: SettleFacilitator,
  paymentRequired: unknown,
  poolSize: number,
): Workload {
  if ('unsupported' in facilitator) return facilitator
  const endpoint = `${facilitator.url}/settle`
  return {
    async prepare(): Promise<Request> {
      const payers = benchAccounts(devnet).settlePayers
      const bodies: string[] = []
      for (let i = 0; i < poolSize; i++) {
        const payer = payers[i % payers.length]
        if (!payer) throw new Error('the bench has no settle payers')
        bodies.push(JSON.stringify(await stack.createFacilitatorRequest(devnet, payer, paymentRequired)))
      }
      let next = 0
      return async () => {
        const body = bodies[next++]
        if (body === undefined) return `all ${poolSize} pre-signed payments were used; raise the pool`
        const response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        })
        const text = await response.text()
        return (response.status === 200 && isSuccess(text)) || describeResponse(response, text)
      }
    },
  }
}

function isSuccess(text: string): boolean {
  try {
    return (JSON.parse(text) as { success?: unknown }).success === true
  } catch {
    return false
  }
}
