// The first example of README.md, kept runnable: if this test changes, change the README with it. The one
// difference: the server listens on a free port, so the origin is known only once it listens.
import type { AddressInfo } from 'node:net'
import { type ServerType, serve } from '@hono/node-server'
import { createFacilitator, createPaymentClient, createResourceServer } from '@open402/core'
import { startDevnet, tokenBalance } from '@open402/devnet'
import { exactEvmClient } from '@open402/evm/client'
import { exactEvmFacilitator } from '@open402/evm/facilitator'
import { exactEvmServer } from '@open402/evm/server'
import { getPaymentResponse, wrapFetch } from '@open402/fetch'
import { paymentMiddleware } from '@open402/hono'
import { Hono } from 'hono'
import { privateKeyToAccount } from 'viem/accounts'
import { expect, test } from 'vitest'
import { evmSiwxSigner, evmSiwxVerifier } from '../src/evm.js'
import { siwx, siwxClient } from '../src/index.js'

test('the README example pays for a report once, then signs in for the next one', async () => {
  const devnet = await startDevnet({ chains: ['evm'] })
  let api: ServerType | undefined
  try {
    const { network, rpcUrl, token, accounts } = devnet.evm
    let app: Hono | undefined
    const origin = await new Promise<string>((resolve) => {
      api = serve(
        { fetch: (request, env) => (app as Hono).fetch(request, env), port: 0 },
        (info: AddressInfo) => resolve(`http://localhost:${info.port}`),
      )
    })

    // The server: a report costs $0.01, and the wallet that paid may read it free for a day.
    const signIn = siwx({
      origin, // the public origin: sign-ins made for any other site are refused
      grant: { ttlMs: 24 * 60 * 60 * 1000 }, // or { uses: 10 }, or both
      verifiers: [evmSiwxVerifier()],
    })
    const server = createResourceServer({
      facilitator: createFacilitator({
        schemes: [
          exactEvmFacilitator({
            signer: privateKeyToAccount(accounts.facilitator.privateKey),
            networks: { [network]: rpcUrl },
          }),
        ],
      }),
      schemes: [exactEvmServer({ assets: { [network]: token } })],
      hooks: signIn.hooks, // records who paid for what
    })
    const routes = {
      'GET /report': {
        accepts: { scheme: 'exact', network, price: '$0.01', payTo: accounts.merchant.address },
      },
    }
    app = new Hono()
    app.use(paymentMiddleware(server, { routes, ...signIn.handler })) // offers and checks sign-ins
    app.get('/report', (c) => c.json({ report: 'sunny' }))

    // The client: pays the first time, signs in after that.
    const account = privateKeyToAccount(accounts.payer.privateKey)
    const client = createPaymentClient({
      schemes: [exactEvmClient({ account, assets: { [network]: token } })],
    })
    const paidFetch = wrapFetch(fetch, client, { signIn: siwxClient({ signers: [evmSiwxSigner(account)] }) })

    const before = await tokenBalance(devnet, accounts.merchant.address)
    const first = await paidFetch(`${origin}/report`)
    expect([first.status, getPaymentResponse(first)?.success]).toEqual([200, true]) // paid
    const second = await paidFetch(`${origin}/report`)
    expect([second.status, getPaymentResponse(second)]).toEqual([200, undefined]) // signed in, nothing paid
    expect(await second.json()).toEqual({ report: 'sunny' })
    expect(await tokenBalance(devnet, accounts.merchant.address)).toBe(before + 10_000n)
  } finally {
    await new Promise<void>((resolve) => (api ? api.close(() => resolve()) : resolve()))
    await devnet.stop()
  }
})
