// A paid site on the devnet for the browser tests: real HTTP (@hono/node-server on port 0), @open402/hono
// with the paywall in front of an article that accepts the devnet's EVM chain and Solana, and an
// in-process facilitator with both exact schemes. The devnet's Solana RPC sends no CORS headers, so the
// site proxies it at /solana-rpc, as a site that keeps its RPC key on the server would.
import type { AddressInfo } from 'node:net'
import { type ServerType, serve } from '@hono/node-server'
import { createFacilitator, createResourceServer, type RoutesConfig } from '@open402/core'
import { type Devnet, startDevnet } from '@open402/devnet'
import { exactEvmFacilitator } from '@open402/evm/facilitator'
import { exactEvmServer } from '@open402/evm/server'
import { paymentMiddleware } from '@open402/hono'
import { exactSvmFacilitator } from '@open402/svm/facilitator'
import { exactSvmServer } from '@open402/svm/server'
import { createKeyPairSignerFromBytes, getBase58Encoder } from '@solana/kit'
import { Hono } from 'hono'
import { privateKeyToAccount } from 'viem/accounts'
import { createPaywall } from '../../src/index.js'

export const ARTICLE_TITLE = 'Why HTTP 402 is the missing piece of the web'
export const ARTICLE_TEXT = 'Pay per read, in a cent, with no account and no form.'
export const PRICE = '$0.01'
export const PRICE_ATOMIC = 10_000n
export const NOTE = { note: 'Paid notes come back as JSON', tags: ['x402', 'evm'] }

export interface PaywallSite {
  devnet: Devnet
  /** `GET /articles/why-402`: HTML, payable on the EVM chain or on Solana. */
  articleUrl: string
  /** `GET /notes/evm-only`: JSON, payable on the EVM chain only (the page gets the EVM-only script). */
  noteUrl: string
  stop(): Promise<void>
}

const ARTICLE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${ARTICLE_TITLE}</title>
<style>body{font:18px/1.6 Georgia,serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#222}</style></head>
<body><article><h1>${ARTICLE_TITLE}</h1><p>${ARTICLE_TEXT}</p>
<p>HTTP reserved status 402 in 1997 "for future use". With x402 the future arrived: the server names its
price in a header, the browser's wallet signs a transfer, and the article is here.</p></article></body></html>`

export async function startPaywallSite(): Promise<PaywallSite> {
  const devnet = await startDevnet()
  const { evm, svm } = devnet
  try {
    const feePayer = await createKeyPairSignerFromBytes(
      getBase58Encoder().encode(svm.accounts.facilitator.secretKey),
    )
    const facilitator = createFacilitator({
      schemes: [
        exactEvmFacilitator({
          signer: privateKeyToAccount(evm.accounts.facilitator.privateKey),
          networks: { [evm.network]: evm.rpcUrl },
        }),
        exactSvmFacilitator({ signers: [feePayer], networks: { [svm.network]: { rpcUrl: svm.rpcUrl } } }),
      ],
    })
    const resourceServer = createResourceServer({
      facilitator,
      schemes: [
        exactEvmServer({ assets: { [evm.network]: evm.token } }),
        exactSvmServer({ assets: { [svm.network]: svm.mint } }),
      ],
    })
    const routes: RoutesConfig = {
      'GET /articles/why-402': {
        accepts: [
          { scheme: 'exact', network: evm.network, price: PRICE, payTo: evm.accounts.merchant.address },
          { scheme: 'exact', network: svm.network, price: PRICE, payTo: svm.accounts.merchant.address },
        ],
        description: ARTICLE_TITLE,
        mimeType: 'text/html',
      },
      'GET /notes/evm-only': {
        accepts: {
          scheme: 'exact',
          network: evm.network,
          price: PRICE,
          payTo: evm.accounts.merchant.address,
        },
        description: 'A note for EVM payers',
        mimeType: 'application/json',
      },
    }
    const paywall = createPaywall({
      description: 'A 6-minute essay. Pay once with your wallet, no account needed.',
      networks: {
        [evm.network]: { name: 'open402 devnet (EVM)', rpcUrl: evm.rpcUrl },
        [svm.network]: { name: 'open402 devnet (Solana)', rpcUrl: '/solana-rpc', txUrl: null },
      },
      assets: { [evm.network]: evm.token, [svm.network]: [svm.mint, svm.mint2022] },
    })

    const app = new Hono()
    app.use(paymentMiddleware(resourceServer, { routes, paywall }))
    app.get('/articles/why-402', (c) => c.html(ARTICLE))
    app.get('/notes/evm-only', (c) => c.json(NOTE))
    app.post('/solana-rpc', async (c) => {
      const answer = await fetch(svm.rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: await c.req.text(),
      })
      return new Response(answer.body, {
        status: answer.status,
        headers: { 'content-type': 'application/json' },
      })
    })

    let server: ServerType | undefined
    const baseUrl = await new Promise<string>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
        resolve(`http://127.0.0.1:${info.port}`),
      )
    })
    return {
      devnet,
      articleUrl: `${baseUrl}/articles/why-402`,
      noteUrl: `${baseUrl}/notes/evm-only`,
      async stop() {
        await new Promise((resolve) => server?.close(resolve))
        await devnet.stop()
      },
    }
  } catch (error) {
    await devnet.stop()
    throw error
  }
}
