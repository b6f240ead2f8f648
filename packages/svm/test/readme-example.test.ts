// The first example of README.md, kept runnable: if this test changes, change the README with it.
import {
  createFacilitator,
  createPaymentClient,
  createResourceServer,
  type PaymentRequired,
} from '@open402/core'
import { startDevnet, svmTokenBalance } from '@open402/devnet'
import { createKeyPairSignerFromBytes, getBase58Encoder } from '@solana/kit'
import { expect, test } from 'vitest'
import { exactSvmClient, exactSvmFacilitator, exactSvmServer } from '../src/index.js'

test('the README example pays $0.01 of devnet USDC from client to merchant through a facilitator', async () => {
  const devnet = await startDevnet()
  try {
    const { network, rpcUrl, accounts } = devnet.svm
    const keyOf = (account: { secretKey: string }) =>
      createKeyPairSignerFromBytes(getBase58Encoder().encode(account.secretKey))

    // Facilitator: verifies payments, co-signs them as fee payer and sends them.
    const facilitator = createFacilitator({
      schemes: [
        exactSvmFacilitator({
          signers: [await keyOf(accounts.facilitator)],
          networks: { [network]: { rpcUrl } },
        }),
      ],
    })

    // Resource server: "$0.01" becomes 10000 atomic units of the devnet USDC mint (built in), and
    // extra.feePayer comes from the facilitator's /supported.
    const server = createResourceServer({ facilitator, schemes: [exactSvmServer()] })
    const route = { accepts: { scheme: 'exact', network, price: '$0.01', payTo: accounts.merchant.address } }
    const accepts = await server.buildRequirements(route, new Request('http://localhost/report'))
    const paymentRequired: PaymentRequired = {
      x402Version: 2,
      resource: { url: 'http://localhost/report' },
      accepts,
    }

    // Client: builds a TransferChecked transaction and signs it as token owner.
    const client = createPaymentClient({
      schemes: [exactSvmClient({ signer: await keyOf(accounts.payer), rpc: { [network]: rpcUrl } })],
    })
    const payment = await client.createPaymentPayload(paymentRequired)

    const requirements = accepts[0]
    if (!requirements) throw new Error('no offer')
    const before = await svmTokenBalance(devnet, accounts.merchant.address)
    const verified = await server.verify(payment, requirements) // { isValid: true, payer }
    const settled = await server.settle(payment, requirements) // { success: true, transaction, status: 'confirmed' }

    expect(requirements).toMatchObject({
      amount: '10000',
      asset: '4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU',
      extra: { feePayer: accounts.facilitator.address },
    })
    expect(verified).toEqual({ isValid: true, payer: accounts.payer.address })
    expect(settled).toMatchObject({
      success: true,
      status: 'confirmed',
      network,
      payer: accounts.payer.address,
    })
    expect(await svmTokenBalance(devnet, accounts.merchant.address)).toBe(before + 10000n)
  } finally {
    await devnet.stop()
  }
})
