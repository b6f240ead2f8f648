import type { AddressInfo } from 'node:net'
import { type ServerType, serve } from '@hono/node-server'
import {
  createHttpFacilitatorClient,
  createPaymentClient,
  createResourceServer,
  type RoutesConfig,
  type SettleResponse,
} from '@open402/core'
import { type Devnet, type DevnetAccount, startDevnet, tokenBalance } from '@open402/devnet'
import { exactEvmClient } from '@open402/evm/client'
import { exactEvmServer } from '@open402/evm/server'
import { paymentMiddleware } from '@open402/hono'
import type { StorageConfig } from '@open402/storage'
import { Hono } from 'hono'
import { createPublicClient, http, parseAbiItem } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
// Not dependencies of this package: the load test drives the whole path (wallet → resource server →
// facilitator) from sources, as the storage fixture is imported from the storage suite.
import { getPaymentResponse, wrapFetch } from '../../fetch/src/index.js'
import { createEngineFixture } from '../../storage/test/engines.js'
import type { FacilitatorService } from '../src/start-facilitator-service.js'
import { settlementId, startLedgerService } from './support/facilitator-fixtures.js'

// N paid requests, CONCURRENCY at a time, through two resource servers, each backed by its own facilitator
// instance (two signer keys each); both instances share one PostgreSQL schema.
const N = 40
const CONCURRENCY = 16
const PRICE_ATOMIC = 1000n // "$0.001" of the 6-decimal devnet USDC
const TRANSFER = parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 value)')

let devnet: Devnet<'evm'>
const cleanups: (() => Promise<unknown>)[] = []

beforeAll(async () => {
  devnet = await startDevnet({ chains: ['evm'] })
})
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {})
  await devnet?.stop()
})

function other(index: number): DevnetAccount {
  const account = devnet.evm.accounts.others[index]
  if (!account) throw new Error(`the devnet has no others[${index}] account`)
  return account
}

async function startInstance(
  storageConfig: StorageConfig,
  keys: `0x${string}`[],
): Promise<FacilitatorService> {
  const { network, rpcUrl } = devnet.evm
  return startLedgerService(cleanups, storageConfig, {
    server: { port: 0 },
    evm: [{ network, rpcUrl, privateKeys: keys }],
    storage: { url: 'sqlite:unused', reconcileIntervalMs: 10_000 },
    logging: { level: 'silent' },
  })
}

/** A hono resource server on port 0 selling `GET /report` through the facilitator at `facilitatorUrl`. */
async function startShop(facilitatorUrl: string): Promise<string> {
  const { network, token, accounts } = devnet.evm
  const resourceServer = createResourceServer({
    facilitator: createHttpFacilitatorClient({ url: facilitatorUrl }),
    schemes: [exactEvmServer({ assets: { [network]: token } })],
  })
  const routes: RoutesConfig = {
    'GET /report': {
      accepts: { scheme: 'exact', network, price: '$0.001', payTo: accounts.merchant.address },
    },
  }
  const app = new Hono()
  app.use(paymentMiddleware(resourceServer, { routes }))
  app.get('/report', (c) => c.json({ report: c.req.query('n') }))
  const server = await new Promise<ServerType>((resolve) => {
    const started: ServerType = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(started),
    )
  })
  cleanups.push(() => new Promise((resolve) => server.close(resolve)))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/** Runs `task(0..count-1)` with at most `limit` in flight; results in index order. */
async function pool<T>(count: number, limit: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count)
  let next = 0
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let index = next++; index < count; index = next++) results[index] = await task(index)
    }),
  )
  return results
}

describe('two facilitator instances sharing PostgreSQL under load', () => {
  test(`${N} concurrent paid requests through two instances: exactly ${N} transfers on chain, and the ledger agrees with the chain`, async () => {
    const fixture = createEngineFixture('postgres')
    cleanups.push(() => fixture.cleanup())
    const instances = [
      await startInstance(fixture.config, [other(0).privateKey, other(1).privateKey]),
      await startInstance(fixture.config, [other(2).privateKey, other(3).privateKey]),
    ]
    const shops = await Promise.all(instances.map((instance) => startShop(instance.url)))
    const payers = [4, 5, 6, 7, 8, 9, 10, 11].map(other)
    const paidFetches = payers.map((payer) =>
      wrapFetch(
        fetch,
        createPaymentClient({
          schemes: [
            exactEvmClient({
              account: privateKeyToAccount(payer.privateKey),
              assets: { [devnet.evm.network]: devnet.evm.token },
            }),
          ],
        }),
      ),
    )
    const chain = createPublicClient({ transport: http(devnet.evm.rpcUrl) })
    const merchant = devnet.evm.accounts.merchant.address
    const fromBlock = (await chain.getBlockNumber()) + 1n
    const merchantBefore = await tokenBalance(devnet, merchant)

    const answers = await pool(N, CONCURRENCY, async (index) => {
      const paidFetch = paidFetches[index % paidFetches.length] as typeof fetch
      const response = await paidFetch(`${shops[index % shops.length]}/report?n=${index}`)
      return {
        status: response.status,
        body: await response.json(),
        settlement: getPaymentResponse(response),
      }
    })

    // Every request was served, with its own successful settlement.
    for (const [index, answer] of answers.entries()) {
      expect(answer, `request ${index}`).toMatchObject({
        status: 200,
        body: { report: String(index) },
        settlement: {
          success: true,
          network: devnet.evm.network,
          payer: payers[index % payers.length]?.address,
        },
      })
      expect(answer.settlement?.transaction).toMatch(/^0x[0-9a-f]{64}$/)
    }
    const settlements = answers.map((answer) => answer.settlement as SettleResponse)
    const answeredHashes = new Set(settlements.map((settlement) => settlement.transaction))
    expect(answeredHashes.size).toBe(N)

    // The chain: exactly N transfers to the merchant, each from one of the payers, of the price.
    const logs = await chain.getLogs({
      address: devnet.evm.token.address,
      event: TRANSFER,
      args: { to: merchant },
      fromBlock,
      toBlock: 'latest',
    })
    expect(logs).toHaveLength(N)
    const payerAddresses = new Set(payers.map((payer) => payer.address.toLowerCase()))
    for (const log of logs) {
      expect(payerAddresses.has(String(log.args.from).toLowerCase())).toBe(true)
      expect(log.args.value).toBe(PRICE_ATOMIC)
    }
    const chainHashes = new Set(logs.map((log) => log.transactionHash))
    expect(chainHashes).toEqual(answeredHashes)
    expect((await tokenBalance(devnet, merchant)) - merchantBefore).toBe(BigInt(N) * PRICE_ATOMIC)

    // The ledger: exactly N confirmed rows, whose transactions are exactly the chain's.
    const reader = fixture.open()
    const confirmed = await reader.settlements.list({ state: 'confirmed', limit: 1000 })
    expect(confirmed.nextCursor).toBeUndefined()
    expect(confirmed.records).toHaveLength(N)
    expect(new Set(confirmed.records.map((record) => record.transaction))).toEqual(chainHashes)
    for (const record of confirmed.records) {
      expect(record).toMatchObject({ amount: PRICE_ATOMIC.toString(), payTo: merchant, sent: true })
      expect(payerAddresses.has(String(record.payer).toLowerCase())).toBe(true)
    }
    for (const state of ['verified', 'claimed', 'sending', 'submitted', 'failed'] as const) {
      expect((await reader.settlements.list({ state })).records, state).toEqual([])
    }
    // Both instances settled, each with both of its keys.
    const signers = new Set(confirmed.records.map((record) => record.signer?.toLowerCase()))
    expect(signers).toEqual(new Set([0, 1, 2, 3].map((index) => other(index).address.toLowerCase())))

    // Each answer names its ledger row; either instance reports it confirmed with the answered transaction.
    await pool(N, CONCURRENCY, async (index) => {
      const settlement = settlements[index] as SettleResponse
      const id = settlementId(settlement)
      expect(id).toMatch(/^[0-9a-f]{64}$/)
      const response = await fetch(`${instances[(index + 1) % instances.length]?.url}/settlements/${id}`)
      expect(response.status).toBe(200)
      expect(await response.json()).toMatchObject({
        id,
        state: 'confirmed',
        transaction: settlement.transaction,
        response: { success: true, transaction: settlement.transaction },
      })
    })
  })
})
