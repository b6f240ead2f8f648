import { Agent, request as httpRequest } from 'node:http'
import type { DevnetDescription } from '@open402/devnet'
import { PAID_PATH } from '../src/paid-route.js'
import type { Stack } from '../src/stack.js'
import { describeResponse as describe } from './describe-response.js'
import { createInProcessApp } from './in-process-apps.js'
import { requestBudget } from './plan.js'
import { settleWorkload } from './settle-workload.js'
import type { HostedStack } from './stack-host.js'
import type { Request, Workload } from './workload.js'

/** One request of each kind the bench measures, against one hosted stack. */
export interface Workloads {
  /**
   * `GET /weather` without payment over node:http (keep-alive): expects 402 with PAYMENT-REQUIRED. Not
   * node's fetch: on two cores its client side tops out near 8k req/s, well below either server.
   */
  unpaid: Request
  /** `GET /weather` through the stack's paying fetch: a fresh payment each time, verified and settled. */
  paid: Request
  /**
   * `POST /verify` of a valid payment, a different one each time (signed up front, {@link VERIFY_POOL_SIZE}
   * of them; verify changes no state). The plan caps verify requests so the pool never wraps.
   */
  verify: Request
  /** `app.request('/weather')` on the stack's hono app in this process: the 402 without any HTTP. */
  inProcessUnpaid: Request
  /**
   * `app.request('/weather')` with one signed PAYMENT-SIGNATURE, the same every time, on the stack's hono
   * app in this process; the facilitator's verify and settle are stubs that accept (see in-process-apps.ts).
   */
  inProcessPaid: Request
  /** `POST /settle` of a distinct payment on the stack's one-key settle facilitator (settle-workload.ts). */
  settleOneKey: Workload
  /** The same on its four-key settle facilitator, or why the stack has none. */
  settleFourKeys: Workload
}

/** Builds the stack's paying client and the pools of signed facilitator requests, then the workloads. */
export async function prepareWorkloads(
  stack: Stack,
  devnet: DevnetDescription,
  hosted: HostedStack,
): Promise<Workloads> {
  const url = `${hosted.serverUrl}${PAID_PATH}`
  const paidFetch = stack.createPaidFetch(devnet, devnet.evm.accounts.payer)

  const challenge = await fetch(url)
  await challenge.arrayBuffer()
  const header = challenge.headers.get('payment-required')
  if (!header) throw new Error(`${stack.name}: ${url} answered ${challenge.status} without PAYMENT-REQUIRED`)
  const paymentRequired: unknown = JSON.parse(Buffer.from(header, 'base64').toString('utf8'))
  // Distinct payments (fresh nonce each), so no facilitator can answer a repeated body from a cache.
  const verifyBodies: string[] = []
  for (let i = 0; i < VERIFY_POOL_SIZE; i++) {
    const body = await stack.createFacilitatorRequest(devnet, devnet.evm.accounts.payer, paymentRequired)
    verifyBodies.push(JSON.stringify(body))
  }
  let nextVerify = 0
  const settle = (facilitator: HostedStack['settle']['oneKey'], workload: keyof Workloads) =>
    settleWorkload(stack, devnet, facilitator, paymentRequired, requestBudget(workload))

  const agent = new Agent({ keepAlive: true })
  const inProcess = createInProcessApp(stack.name, devnet, hosted.facilitatorUrl)
  const inProcessChallenge = await inProcess(PAID_PATH)
  await inProcessChallenge.arrayBuffer()
  // Each in-process app's own 402 is paid: the payload echoes exactly what that server offers.
  const inProcessRequired = inProcessChallenge.headers.get('payment-required')
  if (!inProcessRequired)
    throw new Error(`${stack.name}: the in-process app answered without PAYMENT-REQUIRED`)
  const inProcessPayment = await stack.createFacilitatorRequest(
    devnet,
    devnet.evm.accounts.payer,
    JSON.parse(Buffer.from(inProcessRequired, 'base64').toString('utf8')),
  )
  const signature = Buffer.from(JSON.stringify(inProcessPayment.paymentPayload)).toString('base64')

  return {
    unpaid: () => getUnpaid(url, agent),
    async inProcessUnpaid() {
      const response = await inProcess(PAID_PATH)
      await response.arrayBuffer()
      return (response.status === 402 && response.headers.has('payment-required')) || describe(response)
    },
    async inProcessPaid() {
      const response = await inProcess(PAID_PATH, { headers: { 'PAYMENT-SIGNATURE': signature } })
      const text = await response.text()
      return (response.status === 200 && response.headers.has('payment-response')) || describe(response, text)
    },
    async paid() {
      const response = await paidFetch(url)
      const text = await response.text()
      return (response.status === 200 && response.headers.has('payment-response')) || describe(response, text)
    },
    async verify() {
      const body = verifyBodies[nextVerify++ % verifyBodies.length] as string
      const response = await fetch(`${hosted.facilitatorUrl}/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      })
      const text = await response.text()
      const valid = response.status === 200 && (JSON.parse(text) as { isValid?: unknown }).isValid === true
      return valid || describe(response, text)
    },
    settleOneKey: settle(hosted.settle.oneKey, 'settleOneKey'),
    settleFourKeys: settle(hosted.settle.fourKeys, 'settleFourKeys'),
  }
}

/** Payments signed up front for the verify rows: more than their request budgets plus warm-up. */
export const VERIFY_POOL_SIZE = requestBudget('verify') + 100

/** One unpaid GET over node:http on a keep-alive agent; resolves `true` for a 402 with PAYMENT-REQUIRED. */
function getUnpaid(url: string, agent: Agent): Promise<true | string> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { agent }, (response) => {
      const ok = response.statusCode === 402 && response.headers['payment-required'] !== undefined
      response.resume()
      response.on('error', reject)
      response.on('end', () => resolve(ok || `${response.statusCode} without PAYMENT-REQUIRED`))
    })
    request.on('error', reject)
    request.end()
  })
}
