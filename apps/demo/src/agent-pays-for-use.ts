import { createPaymentClient, formatAtomicUnits, maxAmount } from '@open402/core'
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
