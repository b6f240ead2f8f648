// The README's first example, as a test: the three parts wired through core pay $0.01 on the ledger.
import { createFacilitator, createPaymentClient, createResourceServer } from '@open402/core'
import { expect, test } from 'vitest'
import {
  __CAMEL__Client,
  __CAMEL__Facilitator,
  __CAMEL__Server,
  createLedger,
  createLedgerAccount,
  LEDGER_USD,
} from '../src/index.js'

test('the README example pays $0.01 from payer to merchant', async () => {
  const payer = createLedgerAccount()
  const merchant = createLedgerAccount()
  const ledger = createLedger({ balances: { [LEDGER_USD.asset]: { [payer.address]: 1_000_000n } } })

  const facilitator = createFacilitator({
    schemes: [__CAMEL__Facilitator({ ledger, signer: createLedgerAccount().address })],
  })
  const server = createResourceServer({ facilitator, schemes: [__CAMEL__Server()] })
  const client = createPaymentClient({ schemes: [__CAMEL__Client({ account: payer })] })

  const resource = { url: 'https://api.example/report' }
  const accepts = await server.buildRequirements(
    { accepts: { scheme: '__NAME__', network: ledger.network, price: '$0.01', payTo: merchant.address } },
    new Request(resource.url),
  )
  const payment = await client.createPaymentPayload({ x402Version: 2, resource, accepts })
  const settled = await facilitator.settle(payment, payment.accepted)

  expect(settled).toMatchObject({ success: true, network: 'ledger:local', payer: payer.address })
  expect(ledger.balanceOf(merchant.address, LEDGER_USD.asset)).toBe(10_000n)
  expect(ledger.balanceOf(payer.address, LEDGER_USD.asset)).toBe(990_000n)
})
