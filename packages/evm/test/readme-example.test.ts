// The first example of README.md, kept runnable: if this test changes, change the README with it.
import {
  createFacilitator,
  createPaymentClient,
  createResourceServer,
  type PaymentRequired,
} from '@open402/core'
import { startDevnet, tokenBalance } from '@open402/devnet'
import { privateKeyToAccount } from 'viem/accounts'
import { expect, test } from 'vitest'
import { exactEvmClient, exactEvmFacilitator, exactEvmServer } from '../src/index.js'

test('the README example pays $0.01 on the devnet from client to merchant through a facilitator', async () => {
  const devnet = await startDevnet()
  try {
    const { network, token, rpcUrl, accounts } = devnet.evm
    const assets = { [network]: token } // the devnet token; Base, Polygon, … USDC are built in

    // Facilitator: verifies payments and settles them on chain, paying gas from its own key.
    const facilitator = createFacilitator({
      schemes: [
        exactEvmFacilitator({
          signer: privateKeyToAccount(accounts.facilitator.privateKey),
          networks: { [network]: { rpcUrl } },
        }),
      ],
    })

    // Resource server: prices a route in dollars; exactEvmServer turns "$0.01" into 10000 atomic USDC.
    const server = createResourceServer({ facilitator, schemes: [exactEvmServer({ assets })] })
    const route = { accepts: { scheme: 'exact', network, price: '$0.01', payTo: accounts.merchant.address } }
    const accepts = await server.buildRequirements(route, new Request('http://localhost/report'))
    const paymentRequired: PaymentRequired = {
      x402Version: 2,
      resource: { url: 'http://localhost/report' },
      accepts,
    }

    // Client: signs an EIP-3009 authorization for the offer.
    const client = createPaymentClient({
      schemes: [exactEvmClient({ account: privateKeyToAccount(accounts.payer.privateKey), assets })],
    })
    const payment = await client.createPaymentPayload(paymentRequired)

    const requirements = accepts[0]
    if (!requirements) throw new Error('no offer')
    const before = await tokenBalance(devnet, accounts.merchant.address)
    const verified = await server.verify(payment, requirements) // { isValid: true, payer }
    const settled = await server.settle(payment, requirements) // { success: true, transaction, status: 'confirmed' }

    expect(requirements).toMatchObject({
      amount: '10000',
      asset: token.address,
      extra: { name: 'USD Coin', version: '2' },
    })
    expect(verified).toEqual({ isValid: true, payer: accounts.payer.address })
    expect(settled).toMatchObject({
      success: true,
      status: 'confirmed',
      network,
      payer: accounts.payer.address,
    })
    expect(await tokenBalance(devnet, accounts.merchant.address)).toBe(before + 10000n)
  } finally {
    await devnet.stop()
  }
})
