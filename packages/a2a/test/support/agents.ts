// A serving agent on the devnet for the A2A tests: the chains (EVM + Solana), our facilitator over real HTTP,
// and the agent on a real HTTP server (hono + @hono/node-server on 127.0.0.1, port 0).
import type { AddressInfo } from 'node:net'
import { type ServerType, serve } from '@hono/node-server'
import {
  createFacilitator,
  createHttpFacilitatorClient,
  createPaymentClient,
  createResourceServer,
  type PaymentPolicy,
  type ResourceServer,
} from '@open402/core'
import { type Devnet, startDevnet } from '@open402/devnet'
import { exactEvmClient } from '@open402/evm/client'
import { exactEvmFacilitator } from '@open402/evm/facilitator'
import { exactEvmServer } from '@open402/evm/server'
import { type FacilitatorServer, startFacilitatorServer } from '@open402/facilitator'
import { exactSvmClient } from '@open402/svm/client'
import { exactSvmFacilitator } from '@open402/svm/facilitator'
import { exactSvmServer } from '@open402/svm/server'
import { createKeyPairSignerFromBytes, getBase58Encoder } from '@solana/kit'
import { Hono } from 'hono'
import type { Hex } from 'viem'
import { type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts'
import { createPaidAgent, type PaidAgent, type PaidAgentOptions } from '../../src/index.js'

export const keyOf = (account: { secretKey: string }) =>
  createKeyPairSignerFromBytes(getBase58Encoder().encode(account.secretKey))

/** Starts a facilitator service for both devnet chains over HTTP. */
export async function startTestFacilitator(devnet: Devnet): Promise<FacilitatorServer> {
  const { evm, svm } = devnet
  const facilitator = createFacilitator({
    schemes: [
      exactEvmFacilitator({
        signer: privateKeyToAccount(evm.accounts.facilitator.privateKey),
        networks: { [evm.network]: evm.rpcUrl },
      }),
      exactSvmFacilitator({
        signers: [await keyOf(svm.accounts.facilitator)],
        networks: { [svm.network]: { rpcUrl: svm.rpcUrl } },
      }),
    ],
  })
  return startFacilitatorServer({ facilitator, port: 0 })
}

/** A resource server pricing on both devnet chains, verifying and settling through `facilitatorUrl`. */
export function testResourceServer(devnet: Devnet, facilitatorUrl: string): ResourceServer {
  return createResourceServer({
    facilitator: createHttpFacilitatorClient({ url: facilitatorUrl }),
    schemes: [
      exactEvmServer({ assets: { [devnet.evm.network]: devnet.evm.token } }),
      exactSvmServer({ assets: { [devnet.svm.network]: devnet.svm.mint } }),
    ],
  })
}

export interface ServedAgent {
  agent: PaidAgent
  /** The origin the card is served from, e.g. `http://127.0.0.1:4567`. */
  origin: string
  /** The JSON-RPC endpoint (the card's url). */
  url: string
  close(): Promise<void>
}

/** Serves a paid agent built by `build(url)` on 127.0.0.1; the agent's JSON-RPC endpoint is `/a2a`. */
export async function serveAgent(
  build: (url: string) => Omit<PaidAgentOptions, 'card'> & { card?: Partial<PaidAgentOptions['card']> },
): Promise<ServedAgent> {
  let agent: PaidAgent | undefined
  const app = new Hono()
  app.all('*', (c) => (agent as PaidAgent).fetch(c.req.raw))
  let server: ServerType | undefined
  const origin = await new Promise<string>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve(`http://127.0.0.1:${info.port}`),
    )
  })
  const url = `${origin}/a2a`
  const { card, ...rest } = build(url)
  agent = createPaidAgent({
    ...rest,
    card: { name: 'Research agent', description: 'Summaries and translations, paid per task', url, ...card },
  })
  return {
    agent,
    origin,
    url,
    close: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  }
}

/** A payment client paying from an EVM account (and, if given, a Solana signer) on the devnet. */
export async function payingClient(
  devnet: Devnet,
  payer: { evm?: PrivateKeyAccount | Hex; svm?: { secretKey: string } },
  policies: PaymentPolicy[] = [],
) {
  const schemes = []
  if (payer.evm) {
    const account = typeof payer.evm === 'string' ? privateKeyToAccount(payer.evm) : payer.evm
    schemes.push(exactEvmClient({ account, assets: { [devnet.evm.network]: devnet.evm.token } }))
  }
  if (payer.svm) {
    schemes.push(
      exactSvmClient({
        signer: await keyOf(payer.svm),
        rpc: { [devnet.svm.network]: devnet.svm.rpcUrl },
        assets: { [devnet.svm.network]: devnet.svm.mint },
      }),
    )
  }
  return createPaymentClient({ schemes, policies })
}

/** A raw JSON-RPC POST, for what the client never sends (no activation, malformed bodies, forged payments). */
export async function rawRpc(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ response: Response; json: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { response, json: (await response.json()) as Record<string, unknown> }
}

export { startDevnet }
