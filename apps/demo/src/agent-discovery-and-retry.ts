import {
  budget,
  createPaymentClient,
  discoverResources,
  encodePaymentSignature,
  formatAtomicUnits,
  selectCheapestOffer,
} from '@open402/core'
import { svmTokenBalance } from '@open402/devnet'
import { getPaymentResponse, wrapFetch } from '@open402/fetch'
import { exactSvmClient } from '@open402/svm/client'
import { createKeyPairSignerFromBytes, getBase58Encoder } from '@solana/kit'
import type { DemoStack } from './stack.js'

/** What a step below saw: the URL it called, its status, and what the merchant received for it. */
export interface StepReport {
  url: string
  status: number
  network: string
  merchantReceived: bigint
  transaction: string
}

/**
 * A new agent that knows only the facilitator: it searches the facilitator's catalog (bazaar) for a weather
 * API, picks the cheapest offer it can pay (it holds Solana USDC only) within a $0.01 budget, pays it and
 * uses the answer.
 */
export async function discoverAndPay(stack: DemoStack, log: (line: string) => void): Promise<StepReport> {
  const { svm } = stack.devnet
  const client = createPaymentClient({
    schemes: [await payerSvmClient(stack)],
    policies: [budget({ max: '$0.01', per: 'host', window: 'day' })],
  })
  log(`\n→ a new agent searches ${stack.facilitatorUrl}/discovery/resources?q=weather&maxPrice=$0.01`)
  const { items, pagination } = await discoverResources(stack.facilitatorUrl, {
    q: 'weather',
    maxPrice: '$0.01',
  })
  log(`  ← ${pagination.total} resource(s) found`)
  for (const item of items) {
    const offers = item.accepts.map((offer) => `${offer.amount} on ${offer.network}`).join(', ')
    log(`    ${item.resource}: ${item.description ?? ''} (${offers})`)
  }
  const { item, requirements } = selectCheapestOffer(client, items)
  const example = (item.extensions?.bazaar as { info?: { input?: { queryParams?: Record<string, string> } } })
    ?.info?.input?.queryParams
  const url = new URL(item.resource)
  for (const [name, value] of Object.entries(example ?? {})) url.searchParams.set(name, value)
  log(
    `  chose ${url.pathname}: $${formatAtomicUnits(requirements.amount, svm.mint.decimals)} on ${requirements.network}, the cheapest offer it can pay within its budget`,
  )
  const before = await svmTokenBalance(stack.devnet, requirements.payTo)
  const response = await wrapFetch(fetch, client)(url)
  const body = await response.text()
  const merchantReceived = (await svmTokenBalance(stack.devnet, requirements.payTo)) - before
  log(`  ← ${response.status} ${response.statusText}: ${body}`)
  return {
    url: String(url),
    status: response.status,
    network: requirements.network,
    merchantReceived,
    transaction: getPaymentResponse(response)?.transaction ?? '',
  }
}

/**
 * The network loses the answer to a paid request after the payment settled. wrapFetch retries with the same
 * signed payment (the same payment identifier), and the server answers with the first result: the agent
 * gets its data, and the chain shows one transfer. (Paid on Solana, so the facilitator's catalog also
 * learns the route's Solana offer.)
 */
export async function retryAfterLostAnswer(
  stack: DemoStack,
  log: (line: string) => void,
): Promise<StepReport & { sent: number; lost: number; sameSignature: boolean }> {
  const { svm } = stack.devnet
  const client = createPaymentClient({
    schemes: [await payerSvmClient(stack)],
    prefer: { networks: [svm.network] },
  })
  const url = `${stack.lossyUrl}/api/weather`
  const merchant = svm.accounts.merchant.address
  let signature = ''
  const paidFetch = wrapFetch(fetch, client, {
    onPayment: (payment) => {
      signature = encodePaymentSignature(payment)
      const id = (payment.extensions?.['payment-identifier'] as { info?: { id?: string } } | undefined)?.info
        ?.id
      log(`  ✍ paying $0.001 on Solana with payment identifier ${id}`)
    },
  })
  const sentBefore = stack.lossy.paidRequests.length
  const lostBefore = stack.lossy.dropped.length
  stack.lossy.dropNextPaidResponse()
  log(`\n→ GET ${url} through a network that loses the answer to the paid request`)
  const before = await svmTokenBalance(stack.devnet, merchant)
  const response = await paidFetch(url)
  const body = await response.text()
  const merchantReceived = (await svmTokenBalance(stack.devnet, merchant)) - before
  const sent = stack.lossy.paidRequests.slice(sentBefore)
  const lost = stack.lossy.dropped.length - lostBefore
  log(`  ✗ ${lost} answer lost after the payment settled; wrapFetch sent the same payment again`)
  log(`  ← ${response.status} ${response.statusText}: ${body}`)
  log(
    `  merchant received $${formatAtomicUnits(merchantReceived, svm.mint.decimals)} for ${sent.length} paid requests: charged once`,
  )
  return {
    url,
    status: response.status,
    network: svm.network,
    merchantReceived,
    transaction: getPaymentResponse(response)?.transaction ?? '',
    sent: sent.length,
    lost,
    sameSignature: sent.every((header) => header === signature),
  }
}

/** The payer's Solana wallet as a scheme client. */
async function payerSvmClient({ devnet: { svm } }: DemoStack) {
  return exactSvmClient({
    signer: await createKeyPairSignerFromBytes(getBase58Encoder().encode(svm.accounts.payer.secretKey)),
    rpc: { [svm.network]: svm.rpcUrl },
    assets: { [svm.network]: svm.mint },
  })
}
