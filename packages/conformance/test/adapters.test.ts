import {
  createFacilitator,
  createPaymentClient,
  createResourceServer,
  decodePaymentRequired,
  decodePaymentResponse,
  encodePaymentSignature,
  type PaymentPayload,
} from '@open402/core'
import { type Devnet, type DevnetAccount, startDevnet, tokenBalance } from '@open402/devnet'
import { exactEvmClient, exactEvmFacilitator, exactEvmServer } from '@open402/evm'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type RawResponse, rawRequest } from './raw-request.js'
import { ADAPTERS, type AdapterName, type ServedSite } from './serve-adapters.js'
import { CHEAP_ATOMIC, EXPENSIVE_ATOMIC, SECRET, siteHandlers, siteRoutes } from './site.js'

// One conformance suite for every framework adapter: the same routes, handlers, requests and expected
// results, behind real HTTP, paid with the exact EVM scheme on one devnet through an in-process facilitator.
// Each adapter pays from its own `others` account, so balances never interfere.
const ADAPTER_NAMES: AdapterName[] = ['hono', 'express', 'fastify', 'next']

// Request targets that some framework, proxy or decoder may route to a paid handler (DESIGN §3).
const BYPASS_TARGETS = [
  '/PAID',
  '/paid/',
  '//paid',
  '/./paid',
  '/x/../paid',
  '/paid%2F',
  '/files%2Fsecret',
  '/files%252Fsecret',
  '/files%5Csecret',
  '/paid%',
  '/pa%zzid/../paid',
  '/%70aid%',
  '/files/%zz',
  '/files/secret%',
  '/FILES/%E0%A4%A',
]

let devnet: Devnet<'evm'>
const sites = new Map<AdapterName, { site: ServedSite; runs: string[] }>()

beforeAll(async () => {
  devnet = await startDevnet({ chains: ['evm'] })
  const { network, token, rpcUrl, accounts } = devnet.evm
  const facilitator = createFacilitator({
    schemes: [
      exactEvmFacilitator({
        signer: privateKeyToAccount(accounts.facilitator.privateKey),
        networks: { [network]: { rpcUrl } },
      }),
    ],
  })
  const server = createResourceServer({
    facilitator,
    schemes: [exactEvmServer({ assets: { [network]: token } })],
  })
  const routes = siteRoutes(network, accounts.merchant.address)
  for (const name of ADAPTER_NAMES) {
    const runs: string[] = []
    sites.set(name, { site: await ADAPTERS[name]({ server, routes, handlers: siteHandlers(runs) }), runs })
  }
}, 60_000)

afterAll(async () => {
  await Promise.all([...sites.values()].map(({ site }) => site.close()))
  await devnet?.stop()
})

function requiredOf(response: RawResponse) {
  return decodePaymentRequired(response.headers.get('PAYMENT-REQUIRED') ?? '')
}

describe.each(ADAPTER_NAMES.map((name, index) => ({ name, index })))(
  'the $name adapter',
  ({ name, index }) => {
    const site = () => {
      const served = sites.get(name)
      if (!served) throw new Error(`${name} is not serving`)
      return served
    }
    const send = (target: string, init?: Parameters<typeof rawRequest>[2]) =>
      rawRequest(site().site.url, target, init)
    const payer = (): DevnetAccount => {
      const account = devnet.evm.accounts.others[index]
      if (!account) throw new Error(`the devnet has no others[${index}] account`)
      return account
    }
    const signFor = async (target: string): Promise<PaymentPayload> => {
      const unpaid = await send(target)
      expect(unpaid.status).toBe(402)
      const client = createPaymentClient({
        schemes: [
          exactEvmClient({
            account: privateKeyToAccount(payer().privateKey),
            assets: { [devnet.evm.network]: devnet.evm.token },
          }),
        ],
      })
      return client.createPaymentPayload(requiredOf(unpaid))
    }
    const paid = (target: string, payment: PaymentPayload | string) =>
      send(target, {
        headers: {
          'PAYMENT-SIGNATURE': typeof payment === 'string' ? payment : encodePaymentSignature(payment),
        },
      })
    const balances = async () => {
      const [payerBalance, merchant] = await Promise.all([
        tokenBalance(devnet, payer().address),
        tokenBalance(devnet, devnet.evm.accounts.merchant.address),
      ])
      return { payer: payerBalance, merchant }
    }

    test('answers an unpaid GET with 402, the devnet USDC offer in PAYMENT-REQUIRED and the same JSON body', async () => {
      const runs = site().runs.length
      const res = await send('/paid')
      expect(res.status).toBe(402)
      expect(res.headers.get('Cache-Control')).toBe('no-store')
      expect(res.headers.get('Content-Type')).toMatch(/^application\/json/)
      const exposed = res.headers.get('Access-Control-Expose-Headers') ?? ''
      expect(exposed).toContain('PAYMENT-REQUIRED')
      expect(exposed).toContain('PAYMENT-RESPONSE')
      const required = requiredOf(res)
      expect(required).toMatchObject({
        x402Version: 2,
        error: 'Payment required',
        resource: { url: `${site().site.url}/paid`, description: 'Weather' },
      })
      expect(required.accepts).toHaveLength(1)
      expect(required.accepts[0]).toMatchObject({
        scheme: 'exact',
        network: devnet.evm.network,
        amount: CHEAP_ATOMIC.toString(),
        asset: devnet.evm.token.address,
        payTo: devnet.evm.accounts.merchant.address,
        extra: { name: 'USD Coin', version: '2' },
      })
      expect(JSON.parse(res.text)).toEqual(required)
      expect(res.text).not.toContain(SECRET)
      expect(site().runs.length).toBe(runs)
    })

    test('serves a paid GET with PAYMENT-RESPONSE and moves exactly the price from payer to merchant', async () => {
      const payment = await signFor('/paid')
      const before = await balances()
      const res = await paid('/paid', payment)
      expect(res.status).toBe(200)
      expect(JSON.parse(res.text)).toEqual({ secret: SECRET })
      expect(res.headers.get('x-handler')).toBe('yes')
      const settlement = decodePaymentResponse(res.headers.get('PAYMENT-RESPONSE') ?? '')
      expect(settlement).toMatchObject({ success: true, network: devnet.evm.network, payer: payer().address })
      expect(settlement.transaction).toMatch(/^0x[0-9a-f]{64}$/)
      expect(res.headers.get('Access-Control-Expose-Headers')).toContain('PAYMENT-RESPONSE')
      const after = await balances()
      expect(before.payer - after.payer).toBe(CHEAP_ATOMIC)
      expect(after.merchant - before.merchant).toBe(CHEAP_ATOMIC)
    })

    test('refuses a replayed PAYMENT-SIGNATURE with 402, without the content and without settling again', async () => {
      const header = encodePaymentSignature(await signFor('/paid'))
      const first = await paid('/paid', header)
      expect(first.status).toBe(200)
      const before = await balances()
      const runs = site().runs.length

      const replay = await paid('/paid', header)
      expect(replay.status).toBe(402)
      expect(requiredOf(replay).error).toBe('invalid_exact_evm_nonce_already_used')
      expect(replay.headers.get('x-handler')).toBeNull()
      expect(replay.text).not.toContain(SECRET)
      expect(site().runs.length).toBe(runs)
      expect(await balances()).toEqual(before)
    })

    test('answers 400 invalid_payment_header to a malformed PAYMENT-SIGNATURE', async () => {
      const runs = site().runs.length
      const res = await paid('/paid', 'not-base64!')
      expect(res.status).toBe(400)
      expect(JSON.parse(res.text)).toMatchObject({ error: 'invalid_payment_header' })
      expect(site().runs.length).toBe(runs)
    })

    test('refuses a payment for another route with 402 payment_requirements_mismatch', async () => {
      const payment = await signFor('/paid')
      const before = await balances()
      const runs = site().runs.length
      const res = await paid('/expensive', payment)
      expect(res.status).toBe(402)
      expect(requiredOf(res).error).toBe('payment_requirements_mismatch')
      expect(requiredOf(res).accepts[0]?.amount).toBe(EXPENSIVE_ATOMIC.toString())
      expect(JSON.parse(res.text)).toMatchObject({ error: 'payment_requirements_mismatch' })
      expect(site().runs.length).toBe(runs)
      expect(await balances()).toEqual(before)
    })

    test('settles nothing when the handler answers 500 or throws, so the payment still buys content after', async () => {
      const payment = await signFor('/fails')
      const before = await balances()

      const failed = await paid('/fails', payment)
      expect(failed.status).toBe(500)
      expect(JSON.parse(failed.text)).toEqual({ error: 'database down' })
      expect(failed.headers.get('PAYMENT-RESPONSE')).toBeNull()
      const thrown = await paid('/throws', payment)
      expect(thrown.status).toBe(500)
      expect(thrown.headers.get('PAYMENT-RESPONSE')).toBeNull()
      expect(site().runs.slice(-2)).toEqual(['fails', 'throws'])
      expect(await balances()).toEqual(before)

      const bought = await paid('/paid', payment)
      expect(bought.status).toBe(200)
      expect(decodePaymentResponse(bought.headers.get('PAYMENT-RESPONSE') ?? '').success).toBe(true)
      const after = await balances()
      expect(before.payer - after.payer).toBe(CHEAP_ATOMIC)
    })

    test('sends the content once when one payment is spent twice at the same time; the other gets a 402', async () => {
      const header = encodePaymentSignature(await signFor('/paid'))
      const before = await balances()
      const answers = await Promise.all([paid('/paid', header), paid('/paid', header)])
      const served = answers.filter((res) => res.status === 200)
      const refused = answers.filter((res) => res.status !== 200)
      expect(served).toHaveLength(1)
      expect(refused.map((res) => res.status)).toEqual([402])
      for (const res of refused) {
        expect(res.text).not.toContain(SECRET)
        expect(res.headers.get('x-handler')).toBeNull()
        // Normally both verify and the second settlement is refused; a slow second request fails verify.
        const reason = requiredOf(res).error
        expect(['duplicate_settlement', 'invalid_exact_evm_nonce_already_used']).toContain(reason)
        if (reason === 'duplicate_settlement')
          expect(decodePaymentResponse(res.headers.get('PAYMENT-RESPONSE') ?? '')).toMatchObject({
            success: false,
          })
      }
      const after = await balances()
      expect(before.payer - after.payer).toBe(CHEAP_ATOMIC)
      expect(after.merchant - before.merchant).toBe(CHEAP_ATOMIC)
    })

    test('answers HEAD on a paid GET route with 402, PAYMENT-REQUIRED and no body', async () => {
      const runs = site().runs.length
      const res = await send('/paid', { method: 'HEAD' })
      expect(res.status).toBe(402)
      expect(requiredOf(res).accepts[0]?.amount).toBe(CHEAP_ATOMIC.toString())
      expect(res.text).toBe('')
      expect(site().runs.length).toBe(runs)
    })

    test('answers a CORS preflight of a paid route with 204 allowing PAYMENT-SIGNATURE, without payment', async () => {
      const runs = site().runs.length
      const res = await send('/paid', {
        method: 'OPTIONS',
        headers: {
          Origin: 'https://app.example',
          'Access-Control-Request-Method': 'GET',
          'Access-Control-Request-Headers': 'payment-signature',
        },
      })
      expect(res.status).toBe(204)
      expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*')
      expect(res.headers.get('Access-Control-Allow-Methods')).toBe('GET')
      expect(res.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toContain('payment-signature')
      expect(res.headers.get('PAYMENT-REQUIRED')).toBeNull()
      expect(site().runs.length).toBe(runs)
    })

    test('serves a free route without payment', async () => {
      const res = await send('/free')
      expect([res.status, JSON.parse(res.text)]).toEqual([200, { free: true }])
      expect(res.headers.get('PAYMENT-REQUIRED')).toBeNull()
    })

    test.each(BYPASS_TARGETS)(
      'never serves %s without payment: 402 wherever a paid handler is routed',
      async (target) => {
        const runs = site().runs.length
        const res = await send(target)
        expect(res.status).not.toBe(200)
        expect(res.text).not.toContain(SECRET)
        expect(site().runs.length).toBe(runs)
        if (res.status !== 402) expect([400, 404]).toContain(res.status)
        else expect(requiredOf(res).accepts[0]?.payTo).toBe(devnet.evm.accounts.merchant.address)
      },
    )
  },
)
