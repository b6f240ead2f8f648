import type { DevnetDescription } from '@open402/devnet'
import { PAID_PATH } from '../src/paid-route.js'
import type { Stack } from '../src/stack.js'
import type { HostedStack } from './stack-host.js'

/** One request of each kind the bench measures, against one hosted stack. */
export interface Workloads {
  /** `GET /weather` without payment: expects 402 with PAYMENT-REQUIRED. */
  unpaid: () => Promise<true | string>
  /** `GET /weather` through the stack's paying fetch: a fresh payment each time, verified and settled. */
  paid: () => Promise<true | string>
  /** `POST /verify` of one valid payment, the same body every time (verify changes no state). */
  verify: () => Promise<true | string>
}

/** Builds the stack's paying client and one signed facilitator request, then returns the three workloads. */
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
  const verifyBody = JSON.stringify(
    await stack.createFacilitatorRequest(devnet, devnet.evm.accounts.payer, paymentRequired),
  )

  return {
    async unpaid() {
      const response = await fetch(url)
      await response.arrayBuffer()
      return (response.status === 402 && response.headers.has('payment-required')) || describe(response)
    },
    async paid() {
      const response = await paidFetch(url)
      const text = await response.text()
      return (response.status === 200 && response.headers.has('payment-response')) || describe(response, text)
    },
    async verify() {
      const response = await fetch(`${hosted.facilitatorUrl}/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: verifyBody,
      })
      const text = await response.text()
      const valid = response.status === 200 && (JSON.parse(text) as { isValid?: unknown }).isValid === true
      return valid || describe(response, text)
    },
  }
}

function describe(response: Response, body = ''): string {
  const header = response.headers.get('payment-response') ?? response.headers.get('payment-required')
  const decoded = header ? Buffer.from(header, 'base64').toString('utf8') : ''
  return `${response.status} ${body.slice(0, 200)} ${decoded.slice(0, 300)}`.trim()
}
