// A paid site with sign-in-with-x on the devnet, for the HTTP tests: real HTTP (@hono/node-server on
// 127.0.0.1, port 0), @open402/hono in front, an in-process facilitator with the exact EVM and Solana schemes.
import type { AddressInfo } from 'node:net'
import { type ServerType, serve } from '@hono/node-server'
import {
  createFacilitator,
  createResourceServer,
  type RoutesConfig,
  type SchemeFacilitator,
} from '@open402/core'
import { type DevnetDescription, devnetChain } from '@open402/devnet'
import { exactEvmFacilitator } from '@open402/evm/facilitator'
import { exactEvmServer } from '@open402/evm/server'
import { paymentMiddleware } from '@open402/hono'
import { exactSvmFacilitator } from '@open402/svm/facilitator'
import { exactSvmServer } from '@open402/svm/server'
import { createKeyPairSignerFromBytes, getBase58Encoder } from '@solana/kit'
import { Hono } from 'hono'
import { createPublicClient, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { evmSiwxVerifier } from '../../src/evm.js'
import { type Siwx, type SiwxStorage, siwx } from '../../src/index.js'
import { solanaSiwxVerifier } from '../../src/solana.js'

export const DAY_MS = 86_400_000

/** A started site: where it listens, what it was asked, its sign-in wiring and a clock the test moves. */
export interface SiwxSite {
  /** Where the server listens (http://127.0.0.1:<port>). */
  url: string
  /** The public origin sign-ins are checked against (`url` unless a test puts a balancer in front). */
  origin: string
  /** One line per request: `METHOD /path unsigned|paid|sign-in`. */
  hits: string[]
  signIn: Siwx
  /** Milliseconds added to the server's clock. */
  clock: { offsetMs: number }
  stop(): Promise<void>
}

export const keyPairOf = (account: { secretKey: string }) =>
  createKeyPairSignerFromBytes(getBase58Encoder().encode(account.secretKey))

/**
 * Starts a site on `devnet`: `GET /report` ($0.01 on EVM, 24 hours per payment), `GET /metered` ($0.01 on
 * EVM, 2 uses per payment) and, when the devnet has Solana, `GET /sol` ($0.01 on Solana, 24 hours).
 */
export async function startSiwxSite(
  devnet: Pick<DevnetDescription, 'evm'> & Partial<Pick<DevnetDescription, 'svm'>>,
  options: { origin?: string; storage?: SiwxStorage } = {},
): Promise<SiwxSite> {
  const { evm, svm } = devnet
  const schemes: SchemeFacilitator[] = [
    exactEvmFacilitator({
      signer: privateKeyToAccount(evm.accounts.facilitator.privateKey),
      networks: { [evm.network]: evm.rpcUrl },
    }),
  ]
  if (svm) {
    schemes.push(
      exactSvmFacilitator({
        signers: [await keyPairOf(svm.accounts.facilitator)],
        networks: { [svm.network]: { rpcUrl: svm.rpcUrl } },
      }),
    )
  }
  const evmPrice = {
    scheme: 'exact',
    network: evm.network,
    price: '$0.01',
    payTo: evm.accounts.merchant.address,
  }
  const routes: RoutesConfig = { 'GET /report': { accepts: evmPrice }, 'GET /metered': { accepts: evmPrice } }
  if (svm) {
    routes['GET /sol'] = {
      accepts: {
        scheme: 'exact',
        network: svm.network,
        price: '$0.01',
        payTo: svm.accounts.merchant.address,
      },
    }
  }

  // Listen first: the public origin (the port) is part of the sign-in configuration.
  let app: Hono | undefined
  let server: ServerType | undefined
  const url = await new Promise<string>((resolve) => {
    server = serve(
      { fetch: (request, env) => (app as Hono).fetch(request, env), port: 0, hostname: '127.0.0.1' },
      (info: AddressInfo) => resolve(`http://127.0.0.1:${info.port}`),
    )
  })
  const origin = options.origin ?? url
  const clock = { offsetMs: 0 }
  const publicClient = createPublicClient({ chain: devnetChain(devnet), transport: http(evm.rpcUrl) })
  const signIn = siwx({
    origin,
    grant: { ttlMs: DAY_MS },
    routes: { 'GET /report': { ttlMs: DAY_MS }, 'GET /metered': { uses: 2 }, 'GET /sol': { ttlMs: DAY_MS } },
    verifiers: [evmSiwxVerifier({ publicClient }), solanaSiwxVerifier()],
    ...(options.storage === undefined ? {} : { storage: options.storage }),
    now: () => Date.now() + clock.offsetMs,
    onError: (error) => {
      throw error
    },
  })
  const resourceServer = createResourceServer({
    facilitator: createFacilitator({ schemes }),
    schemes: [exactEvmServer({ assets: { [evm.network]: evm.token } }), exactSvmServer()],
    hooks: signIn.hooks,
  })

  const hits: string[] = []
  app = new Hono()
  app.use(async (c, next) => {
    const kind = c.req.header('PAYMENT-SIGNATURE')
      ? 'paid'
      : c.req.header('SIGN-IN-WITH-X')
        ? 'sign-in'
        : 'unsigned'
    hits.push(`${c.req.method} ${c.req.path} ${kind}`)
    await next()
  })
  app.use(paymentMiddleware(resourceServer, { routes, ...signIn.handler }))
  app.get('/report', (c) => c.json({ report: 'sunny' }))
  app.get('/metered', (c) => c.json({ reading: 42 }))
  app.get('/sol', (c) => c.json({ slot: 'fast' }))

  return {
    url,
    origin,
    hits,
    signIn,
    clock,
    stop: () => new Promise<void>((resolve) => server?.close(() => resolve())),
  }
}
