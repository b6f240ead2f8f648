import type { AddressInfo } from 'node:net'
import { type ServerType, serve } from '@hono/node-server'
import {
  createHttpFacilitatorClient,
  createPaymentClient,
  createResourceServer,
  decodePaymentRequired,
  encodePaymentSignature,
  PAYMENT_IDENTIFIER,
  PAYMENT_REQUIRED_HEADER,
  PAYMENT_RESPONSE_HEADER,
  PAYMENT_SIGNATURE_HEADER,
  type PaymentPayload,
} from '@open402/core'
import type { Devnet } from '@open402/devnet'
import { exactEvmClient } from '@open402/evm/client'
import { exactEvmServer } from '@open402/evm/server'
// Not a dependency of this package: the resource servers are driven from sources, as in the load test.
import { paymentMiddleware } from '@open402/hono'
import { createStorageIdempotencyStore, createStorageSettlementLedger, openStorage } from '@open402/storage'
import { Hono } from 'hono'
import { createPublicClient, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { beforeAll, describe, expect, test } from 'vitest'
import { createEngineFixture, type EngineFixture } from '../../storage/test/engines.js'
import { parseFacilitatorConfig } from '../src/facilitator-config.js'
import { type FacilitatorService, startFacilitatorService } from '../src/start-facilitator-service.js'
import {
  payerTransfers,
  paymentBody,
  postPayment,
  type SignedPayment,
  signedPayment,
  useCleanups,
  useEvmDevnet,
} from './support/facilitator-fixtures.js'

// Payment identifiers across instances that share one PostgreSQL database: two facilitator services (as
// the CLI wires them: ledger and identifier store on the database) and two resource servers.
let devnet: Devnet<'evm'>
useEvmDevnet((started) => {
  devnet = started
})
const cleanups = useCleanups()
let fixture: EngineFixture
beforeAll(() => {
  fixture = createEngineFixture('postgres')
  return () => fixture.cleanup()
})

/** A facilitator service on the shared database, signing with `key`. */
async function startInstance(key: `0x${string}`): Promise<FacilitatorService> {
  const storage = openStorage(fixture.config)
  const service = await startFacilitatorService({
    config: parseFacilitatorConfig({
      server: { port: 0 },
      evm: [{ network: devnet.evm.network, rpcUrl: devnet.evm.rpcUrl, privateKeys: [key] }],
      storage: { url: 'sqlite:unused', reconcileIntervalMs: 10_000 },
      logging: { level: 'silent' },
    }),
    storage: {
      storage,
      ledger: createStorageSettlementLedger(storage),
      idempotency: createStorageIdempotencyStore(storage, { namespace: 'facilitator-payment-identifiers' }),
    },
  })
  cleanups.push(() => service.close())
  return service
}

const withIdentifier = (payment: SignedPayment, id: string): SignedPayment => ({
  ...payment,
  payload: { ...payment.payload, extensions: { [PAYMENT_IDENTIFIER]: { info: { required: false, id } } } },
})

const chain = () => createPublicClient({ transport: http(devnet.evm.rpcUrl) })

function others(index: number) {
  const account = devnet.evm.accounts.others[index]
  if (account === undefined) throw new Error(`the devnet has no others[${index}]`)
  return account
}

describe('the facilitator service with payment identifiers on PostgreSQL', () => {
  test('the same identifier and payload settle once across instances; another payload gets 409', async () => {
    const [first, second] = [
      await startInstance(devnet.evm.accounts.facilitator.privateKey),
      await startInstance(others(7).privateKey),
    ]
    expect(
      ((await (await fetch(`${first?.url}/supported`)).json()) as { extensions: string[] }).extensions,
    ).toContain('payment-identifier')
    const id = 'pay_facilitator_service_0001'
    const payment = withIdentifier(await signedPayment(devnet, '1000'), id)
    const fromBlock = (await chain().getBlockNumber()) + 1n

    const settled = await postPayment(first.url, '/settle', paymentBody(payment))
    expect(settled).toMatchObject({ status: 200, body: { success: true } })
    const again = await postPayment(second.url, '/settle', paymentBody(payment))
    expect(again).toEqual(settled)
    // Settled, it still verifies (on either instance), so a server that lost its answer can run it again.
    expect(await postPayment(second.url, '/verify', paymentBody(payment))).toMatchObject({
      status: 200,
      body: { isValid: true, payer: devnet.evm.accounts.payer.address },
    })

    const other = withIdentifier(await signedPayment(devnet, '1000'), id)
    expect(await postPayment(second.url, '/settle', paymentBody(other))).toMatchObject({
      status: 409,
      body: { success: false, errorReason: 'payment_identifier_conflict', transaction: '' },
    })
    expect(await postPayment(first.url, '/verify', paymentBody(other))).toMatchObject({
      status: 409,
      body: { isValid: false, invalidReason: 'payment_identifier_conflict' },
    })
    const malformed = withIdentifier(await signedPayment(devnet, '1000'), 'too-short')
    expect(await postPayment(first.url, '/verify', paymentBody(malformed))).toMatchObject({
      status: 400,
      body: { invalidReason: 'invalid_payment_identifier' },
    })
    expect(await payerTransfers(chain(), devnet, fromBlock)).toHaveLength(1)
  })
})

describe('two resource servers sharing a PostgreSQL idempotency store', () => {
  /** A shop on port 0 selling `POST /orders` with its own handle on the shared database. */
  async function startShop(facilitatorUrl: string, name: string, runs: string[]): Promise<string> {
    const { network, token, accounts } = devnet.evm
    const storage = openStorage(fixture.config)
    cleanups.push(() => storage.close())
    const resourceServer = createResourceServer({
      facilitator: createHttpFacilitatorClient({ url: facilitatorUrl }),
      schemes: [exactEvmServer({ assets: { [network]: token } })],
    })
    const app = new Hono()
    app.use(
      paymentMiddleware(resourceServer, {
        routes: {
          'POST /orders': {
            accepts: { scheme: 'exact', network, price: '$0.001', payTo: accounts.merchant.address },
          },
        },
        idempotency: { store: createStorageIdempotencyStore(storage), required: true },
      }),
    )
    app.post('/orders', async (c) => {
      runs.push(name)
      return c.json({ order: runs.length, by: name, item: await c.req.text() }, 201)
    })
    const server = await new Promise<ServerType>((resolve) => {
      const started: ServerType = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
        resolve(started),
      )
    })
    cleanups.push(() => new Promise((resolve) => server.close(resolve)))
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  }

  test('a paid request retried on the other instance gets the first answer: one order, one transfer', async () => {
    const facilitator = await startInstance(devnet.evm.accounts.facilitator.privateKey)
    const runs: string[] = []
    const shops = [await startShop(facilitator.url, 'a', runs), await startShop(facilitator.url, 'b', runs)]
    const payer = others(0)
    const client = createPaymentClient({
      schemes: [
        exactEvmClient({
          account: privateKeyToAccount(payer.privateKey),
          assets: { [devnet.evm.network]: devnet.evm.token },
        }),
      ],
    })
    const unpaid = await fetch(`${shops[0]}/orders`, { method: 'POST', body: 'one book' })
    const required = decodePaymentRequired(unpaid.headers.get(PAYMENT_REQUIRED_HEADER) ?? '')
    expect(required.extensions?.[PAYMENT_IDENTIFIER]).toMatchObject({ info: { required: true } })
    const payment: PaymentPayload = await client.createPaymentPayload(required)
    const send = (shop: string | undefined) =>
      fetch(`${shop}/orders`, {
        method: 'POST',
        body: 'one book',
        headers: { [PAYMENT_SIGNATURE_HEADER]: encodePaymentSignature(payment) },
      })
    const fromBlock = (await chain().getBlockNumber()) + 1n

    const first = await send(shops[0])
    expect(first.status).toBe(201)
    const retried = await send(shops[1])
    expect(retried.status).toBe(201)
    expect(await retried.json()).toEqual({ order: 1, by: 'a', item: 'one book' })
    expect(retried.headers.get(PAYMENT_RESPONSE_HEADER)).toBe(first.headers.get(PAYMENT_RESPONSE_HEADER))
    expect(runs).toEqual(['a'])

    const { [PAYMENT_IDENTIFIER]: _dropped, ...rest } = payment.extensions ?? {}
    const withoutId = await fetch(`${shops[1]}/orders`, {
      method: 'POST',
      headers: { [PAYMENT_SIGNATURE_HEADER]: encodePaymentSignature({ ...payment, extensions: rest }) },
    })
    expect(withoutId.status).toBe(400)
    const logs = await chain().getLogs({
      address: devnet.evm.token.address,
      event: {
        type: 'event',
        name: 'Transfer',
        inputs: [
          { type: 'address', name: 'from', indexed: true },
          { type: 'address', name: 'to', indexed: true },
          { type: 'uint256', name: 'value' },
        ],
      },
      args: { from: payer.address },
      fromBlock,
      toBlock: 'latest',
    })
    expect(logs).toHaveLength(1)
  })
})
