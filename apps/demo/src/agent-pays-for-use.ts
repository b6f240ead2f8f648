import { createPaymentClient, formatAtomicUnits, maxAmount, readMeteredStream } from '@open402/core'
import { tokenBalance } from '@open402/devnet'
import { uptoEvmClient } from '@open402/evm/client'
import { getPaymentResponse, wrapFetch } from '@open402/fetch'
import { privateKeyToAccount } from 'viem/accounts'
import type { StepReport } from './agent-discovery-and-retry.js'
import type { DemoStack } from './stack.js'

/** What the generation step saw: what was authorized, what was settled, and the answer. */
export interface PayForUseReport extends StepReport {
  authorized: bigint
  settled: bigint
  tokens: number
}

/**
 * Pay for what was used (`upto`): the agent authorizes $0.10 for a text generation, the server generates,
 * reports what the tokens cost, and settles exactly that; the rest of the authorization is never spent.
 */
export async function payForWhatWasUsed(
  stack: DemoStack,
  log: (line: string) => void,
): Promise<PayForUseReport> {
  const { evm } = stack.devnet
  const client = createPaymentClient({
    schemes: [
      uptoEvmClient({
        account: privateKeyToAccount(evm.accounts.payer.privateKey),
        assets: { [evm.network]: evm.token },
      }),
    ],
    policies: [maxAmount('$0.10')],
  })
  let authorized = 0n
  const paidFetch = wrapFetch(fetch, client, {
    onPayment: (payment) => {
      authorized = BigInt(payment.accepted.amount)
      log(
        `  authorizing up to $${formatAtomicUnits(authorized, evm.token.decimals)} (upto, a Permit2 witness transfer naming the facilitator)`,
      )
    },
  })
  const url = `${stack.serverUrl}/api/generate`
  log(`\n→ POST ${url}: pay for what was used`)
  const before = await tokenBalance(stack.devnet, evm.accounts.payer.address)
  const response = await paidFetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ prompt: 'Explain HTTP 402 in one line' }),
  })
  const answer = (await response.json()) as { text?: string; tokens?: number }
  const receipt = getPaymentResponse(response)
  const settled = before - (await tokenBalance(stack.devnet, evm.accounts.payer.address))
  log(`  ← ${response.status}: ${answer.text ?? ''}`)
  log(
    `  ${answer.tokens ?? 0} tokens: settled $${formatAtomicUnits(settled, evm.token.decimals)} of the $${formatAtomicUnits(authorized, evm.token.decimals)} authorized (receipt amount ${receipt?.amount ?? '?'}, transaction ${receipt?.transaction ?? ''})`,
  )
  return {
    url,
    status: response.status,
    network: evm.network,
    merchantReceived: settled,
    transaction: receipt?.transaction ?? '',
    authorized,
    settled,
    tokens: answer.tokens ?? 0,
  }
}

/** What the price-feed step saw: updates read, what was authorized and what was settled. */
export interface FeedReport extends StepReport {
  authorized: bigint
  settled: bigint
  updates: number
}

/**
 * A metered stream: the agent authorizes $0.01 for a price feed billed per update, reads updates until it
 * has spent $0.002 (its own cap), and leaves; the server settles the updates it delivered.
 */
export async function followPriceFeed(stack: DemoStack, log: (line: string) => void): Promise<FeedReport> {
  const { evm } = stack.devnet
  const usd = (atomic: bigint) => `$${formatAtomicUnits(atomic, evm.token.decimals)}`
  const client = createPaymentClient({
    schemes: [
      uptoEvmClient({
        account: privateKeyToAccount(evm.accounts.payer.privateKey),
        assets: { [evm.network]: evm.token },
      }),
    ],
    policies: [maxAmount('$0.01')],
  })
  let authorized = 0n
  const paidFetch = wrapFetch(fetch, client, {
    onPayment: (payment) => {
      authorized = BigInt(payment.accepted.amount)
    },
  })
  const url = `${stack.serverUrl}/api/prices?updates=20`
  log(`\n→ GET ${url}: a price feed billed per update (metered stream)`)
  const before = await tokenBalance(stack.devnet, evm.accounts.merchant.address)
  const response = await paidFetch(url)
  log(`  authorized up to ${usd(authorized)}; reading until $0.002 is spent`)
  const result = await readMeteredStream(response, {
    cap: 2000n,
    onEvent: (event, spent) => {
      const update = JSON.parse(event.data) as { tick: number; price: string }
      log(`  ⇣ update ${update.tick}: USDC/USD ${update.price} (spent so far ${usd(spent)})`)
    },
  })
  log(`  ✋ left after ${result.events} updates (cap reached: ${result.stoppedAtCap})`)
  // The server settles when it sees the reader leave: wait for the transfer to land.
  let settled = 0n
  for (let i = 0; i < 100; i++) {
    settled = (await tokenBalance(stack.devnet, evm.accounts.merchant.address)) - before
    if (settled >= result.spent) break
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  log(`  settled ${usd(settled)} of the ${usd(authorized)} authorized, for ${result.events} updates`)
  return {
    url,
    status: response.status,
    network: evm.network,
    merchantReceived: settled,
    transaction: '',
    authorized,
    settled,
    updates: result.events,
  }
}
