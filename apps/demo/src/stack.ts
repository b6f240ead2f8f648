import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { createFacilitator, createHttpFacilitatorClient, type FacilitatorClient } from '@open402/core'
import { type Devnet, type LossyProxy, startDevnet, startLossyProxy } from '@open402/devnet'
import { exactEvmFacilitator, uptoEvmFacilitator } from '@open402/evm/facilitator'
import { createUsdDecimals, startFacilitatorServer } from '@open402/facilitator'
import { openStorage } from '@open402/storage'
import { exactSvmFacilitator } from '@open402/svm/facilitator'
import { createKeyPairSignerFromBytes, getBase58Encoder } from '@solana/kit'
import { createWalletClient, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { mountAgentServices } from './agent-services.js'
import { createDemoApi } from './api.js'

export type StackEvent =
  | { kind: 'verified'; payer?: string; isValid: boolean; reason?: string }
  | { kind: 'settled'; success: boolean; transaction: string; reason?: string }

export interface DemoStack {
  devnet: Devnet
  serverUrl: string
  facilitatorUrl: string
  /** The API behind a network that can lose a paid request's answer (`lossy.dropNextPaidResponse()`). */
  lossyUrl: string
  lossy: LossyProxy
  /** The paid routes; `scheme` is set when it is not `exact`. */
  routes: { method: string; path: string; price: string; scheme?: string }[]
  /** Called with what the resource server hears back from the facilitator. */
  onEvent(listener: (event: StackEvent) => void): void
  stop(): Promise<void>
}

/** Starts the devnet, the facilitator service and the paid API, all on 127.0.0.1. */
export async function startDemoStack(options: { port?: number } = {}): Promise<DemoStack> {
  const devnet = await startDevnet()
  const { evm, svm } = devnet
  const stops: (() => Promise<void>)[] = [() => devnet.stop()]
  try {
    const signer = createWalletClient({
      account: privateKeyToAccount(evm.accounts.facilitator.privateKey),
      transport: http(evm.rpcUrl),
    })
    const feePayer = await createKeyPairSignerFromBytes(
      getBase58Encoder().encode(svm.accounts.facilitator.secretKey),
    )
    const facilitator = createFacilitator({
      schemes: [
        exactEvmFacilitator({ signer, networks: { [evm.network]: { rpcUrl: evm.rpcUrl } } }),
        // The same signer: the two parts share its nonce.
        uptoEvmFacilitator({ signer, networks: { [evm.network]: { rpcUrl: evm.rpcUrl } } }),
        exactSvmFacilitator({ signers: [feePayer], networks: { [svm.network]: { rpcUrl: svm.rpcUrl } } }),
      ],
    })
    // The facilitator catalogs the resources it sees paid (bazaar) in its storage, here an in-memory SQLite.
    const storage = openStorage({ url: 'sqlite::memory:' })
    stops.unshift(() => storage.close())
    await storage.migrate()
    const facilitatorServer = await startFacilitatorServer({
      facilitator,
      port: 0,
      discovery: {
        catalog: storage.discovery,
        usdDecimals: createUsdDecimals([
          { network: evm.network, asset: evm.token.address, decimals: evm.token.decimals },
          { network: svm.network, asset: svm.mint.address, decimals: svm.mint.decimals },
        ]),
      },
    })
    stops.unshift(() => facilitatorServer.close())

    const listeners: ((event: StackEvent) => void)[] = []
    const emit = (event: StackEvent) => {
      for (const listener of listeners) listener(event)
    }
    const remote = createHttpFacilitatorClient({ url: facilitatorServer.url })
    const observed: FacilitatorClient = {
      supported: () => remote.supported(),
      async verify(payload, requirements) {
        const result = await remote.verify(payload, requirements)
        emit({ kind: 'verified', payer: result.payer, isValid: result.isValid, reason: result.invalidReason })
        return result
      },
      async settle(payload, requirements) {
        const result = await remote.settle(payload, requirements)
        emit({
          kind: 'settled',
          success: result.success,
          transaction: result.transaction,
          reason: result.errorReason,
        })
        return result
      },
    }

    // Listening first, so the API knows its own origin (sign-in-with-x challenges name it).
    let handle: (request: Request) => Response | Promise<Response> = () => new Response(null, { status: 503 })
    const port = options.port ?? 0
    const api = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const server = serve({ fetch: (request) => handle(request), port, hostname: '127.0.0.1' }, () =>
        resolve(server),
      )
    })
    stops.unshift(
      () => new Promise<void>((resolve, reject) => api.close((error) => (error ? reject(error) : resolve()))),
    )
    const { port: apiPort } = api.address() as AddressInfo
    const serverUrl = `http://127.0.0.1:${apiPort}`
    const { app, listing } = createDemoApi(devnet, observed, serverUrl)
    mountAgentServices(app, devnet, observed, serverUrl)
    handle = app.fetch
    const lossy = await startLossyProxy(apiPort)
    stops.unshift(() => lossy.close())

    return {
      devnet,
      serverUrl,
      facilitatorUrl: facilitatorServer.url,
      lossyUrl: `http://127.0.0.1:${lossy.port}`,
      lossy,
      routes: listing,
      onEvent: (listener) => listeners.push(listener),
      stop: () => stopAll(stops),
    }
  } catch (error) {
    await stopAll(stops)
    throw error
  }
}

async function stopAll(stops: (() => Promise<void>)[]): Promise<void> {
  for (const stop of stops.splice(0)) {
    await stop().catch(() => {})
  }
}
