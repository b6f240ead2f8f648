// The facilitator service with `upto` configured on an EVM network: /supported names the key a payer must
// name, and a payment authorized for a maximum settles the amount charged, over real HTTP on the devnet.
import {
  createHttpFacilitatorClient,
  createPaymentClient,
  createResourceServer,
  isX402Error,
} from '@open402/core'
import { type Devnet, startDevnet, tokenBalance } from '@open402/devnet'
import { uptoEvmClient } from '@open402/evm/client'
import { uptoEvmServer } from '@open402/evm/server'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFacilitatorFromConfig } from '../src/create-facilitator-from-config.js'
import { type FacilitatorServer, startFacilitatorServer } from '../src/start-facilitator-server.js'

let devnet: Devnet<'evm'>
let service: FacilitatorServer

beforeAll(async () => {
  devnet = await startDevnet({ chains: ['evm'] })
  const { network, rpcUrl, accounts } = devnet.evm
  const { facilitator } = await createFacilitatorFromConfig({
    evm: [{ network, rpcUrl, privateKeys: [accounts.facilitator.privateKey], schemes: ['exact', 'upto'] }],
  })
  service = await startFacilitatorServer({ facilitator })
})

afterAll(async () => {
  await service?.close()
  await devnet?.stop()
})

describe('facilitator service with upto', () => {
  it('lists exact and upto, upto naming the facilitator key payers must name', async () => {
    const supported = await (await fetch(`${service.url}/supported`)).json()
    expect(supported.kinds).toEqual([
      { x402Version: 2, scheme: 'exact', network: devnet.evm.network },
      {
        x402Version: 2,
        scheme: 'upto',
        network: devnet.evm.network,
        extra: { facilitatorAddress: devnet.evm.accounts.facilitator.address },
      },
    ])
  })

  it('verifies the maximum and settles the amount charged, over HTTP', async () => {
    const { network, token, accounts } = devnet.evm
    const remote = createHttpFacilitatorClient({ url: service.url })
    const server = createResourceServer({
      facilitator: remote,
      schemes: [uptoEvmServer({ assets: { [network]: token } })],
    })
    const [max] = await server.buildRequirements(
      { accepts: { scheme: 'upto', network, price: '$0.05', payTo: accounts.merchant.address } },
      new Request('http://localhost/generate'),
    )
    if (!max) throw new Error('no requirements')
    expect(max).toMatchObject({
      amount: '50000',
      extra: { facilitatorAddress: accounts.facilitator.address },
    })
    const client = createPaymentClient({
      schemes: [uptoEvmClient({ account: privateKeyToAccount(accounts.payer.privateKey) })],
    })
    const payload = await client.createPaymentPayload({
      x402Version: 2,
      resource: { url: 'http://localhost/generate' },
      accepts: [max],
    })
    const before = await tokenBalance(devnet, accounts.merchant.address)

    expect(await remote.verify(payload, max)).toMatchObject({ isValid: true, payer: accounts.payer.address })
    const settled = await remote.settle(payload, { ...max, amount: '1234' })

    expect(settled).toMatchObject({ success: true, amount: '1234', payer: accounts.payer.address })
    expect(settled.transaction).toMatch(/^0x[0-9a-f]{64}$/)
    expect(await tokenBalance(devnet, accounts.merchant.address)).toBe(before + 1234n)
  })

  it('refuses an unknown scheme in the configuration, naming the field', async () => {
    const { network, rpcUrl, accounts } = devnet.evm
    const bad: unknown = {
      evm: [{ network, rpcUrl, privateKeys: [accounts.facilitator.privateKey], schemes: ['stream'] }],
    } // as a JSON configuration file could say it
    const error = await createFacilitatorFromConfig(bad as never).catch((caught: unknown) => caught)
    expect(isX402Error(error, 'invalid_config')).toBe(true)
    expect((error as Error).message).toMatch(/config\.evm\[0\]\.schemes\[0\]: must be "exact" or "upto"/)
  })
})
