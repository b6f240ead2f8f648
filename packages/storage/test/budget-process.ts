// A client process for the shared-budget tests: opens the default budget store (a SQLite file in its
// working directory) or the URL in argv, waits for "go" on stdin so every process starts together, tries
// `count` payments of `cents` at once under one $1 budget, and prints how many were allowed, as JSON.
import { createInterface } from 'node:readline'
import { budget, createPaymentClient, isX402Error } from '@open402/core'
import { CASH_NETWORK, cashClient } from '../../core/test/cash-scheme.js'
import { openBudgetStore } from '../src/budgets/open-budget-store.js'

const [countText, cents, url] = process.argv.slice(2)
const store = await openBudgetStore(url ? { url } : {})
const client = createPaymentClient({
  schemes: [cashClient('alice')],
  policies: [budget({ max: '$1', window: 'day', store })],
})
const pay = () =>
  client
    .createPaymentPayload({
      x402Version: 2,
      resource: { url: 'https://api.example.com/report' },
      accepts: [
        {
          scheme: 'cash',
          network: CASH_NETWORK,
          amount: cents ?? '10',
          asset: 'USD',
          payTo: 'shop',
          maxTimeoutSeconds: 60,
          extra: {},
        },
      ],
    })
    .then(
      () => 'paid',
      (error: unknown) => (isX402Error(error, 'payment_refused_by_policy') ? 'refused' : String(error)),
    )

process.stdout.write('ready\n')
const lines = createInterface({ input: process.stdin })
for await (const line of lines) {
  if (line !== 'go') continue
  const results = await Promise.all(Array.from({ length: Number(countText ?? '1') }, pay))
  process.stdout.write(`${JSON.stringify(results)}\n`)
  break
}
lines.close()
await store.close()
