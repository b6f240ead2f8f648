import { createPaymentClient, formatAtomicUnits, maxAmount } from '@open402/core'
import { tokenBalance } from '@open402/devnet'
import { exactEvmClient } from '@open402/evm/client'
import { getPaymentResponse, wrapFetch } from '@open402/fetch'
import { privateKeyToAccount } from 'viem/accounts'
import type { DemoStack } from './stack.js'

export interface AgentReport {
  path: string
  status: number
  price: string
  transaction: string
  payerPaid: bigint
  merchantReceived: bigint
}

/** An agent that reads each route's price from the 402, pays it within a budget, and prints every step. */
export async function runAgent(stack: DemoStack, log: (line: string) => void): Promise<AgentReport[]> {
  const { evm } = stack.devnet
  const account = privateKeyToAccount(evm.accounts.payer.privateKey)
  const usd = (atomic: bigint | string) => `$${formatAtomicUnits(atomic, evm.token.decimals)}`
  const client = createPaymentClient({
    schemes: [exactEvmClient({ account, assets: { [evm.network]: evm.token } })],
    policies: [maxAmount('$0.10')],
  })
  stack.onEvent((event) => {
    if (event.kind === 'verified') {
      log(
        event.isValid
          ? `  ✓ facilitator verified the payment from ${event.payer}`
          : `  ✗ verify: ${event.reason}`,
      )
    } else if (event.success) {
      log(`  ✓ settled on ${evm.network} in tx ${event.transaction}`)
    } else {
      log(`  ✗ settlement failed: ${event.reason}`)
    }
  })
  const paidFetch = wrapFetch(fetch, client, {
    onPaymentRequired: (paymentRequired) => {
      const offer = paymentRequired.accepts[0]
      if (offer) {
        log(
          `  ← 402 Payment Required: ${usd(offer.amount)} (${offer.amount} atomic units of ${evm.token.symbol})`,
        )
        log(`    on ${offer.network}, pay to ${offer.payTo}`)
      }
    },
    onPayment: (payload) => {
      log(
        `  ✍ signed an EIP-3009 authorization for ${usd(payload.accepted.amount)} (scheme ${payload.accepted.scheme})`,
      )
    },
  })

  const reports: AgentReport[] = []
  for (const route of stack.routes) {
    const url = `${stack.serverUrl}${route.path}`
    const payerBefore = await tokenBalance(stack.devnet, evm.accounts.payer.address)
    const merchantBefore = await tokenBalance(stack.devnet, evm.accounts.merchant.address)
    log(`\n→ ${route.method} ${url}`)
    const response = await paidFetch(url, { method: route.method })
    const body = await response.text()
    const settlement = getPaymentResponse(response)
    const payerAfter = await tokenBalance(stack.devnet, evm.accounts.payer.address)
    const merchantAfter = await tokenBalance(stack.devnet, evm.accounts.merchant.address)
    log(`  ← ${response.status} ${response.statusText}: ${body.trim().split('\n')[0]}`)
    log(`  payer    ${usd(payerBefore)} → ${usd(payerAfter)}`)
    log(`  merchant ${usd(merchantBefore)} → ${usd(merchantAfter)}`)
    reports.push({
      path: route.path,
      status: response.status,
      price: route.price,
      transaction: settlement?.transaction ?? '',
      payerPaid: payerBefore - payerAfter,
      merchantReceived: merchantAfter - merchantBefore,
    })
  }
  return reports
}
