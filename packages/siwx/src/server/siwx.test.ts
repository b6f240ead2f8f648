import type { MatchedRoute, SettleResponse } from '@open402/core'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { evmSiwxSigner } from '../evm/evm-siwx-signer.js'
import { evmSiwxVerifier } from '../evm/evm-siwx-verifier.js'
import { SIGN_IN_WITH_X, SIGN_IN_WITH_X_HEADER } from '../shared/constants.js'
import { encodeSiwxHeader } from '../shared/siwx-header.js'
import { formatSiwxMessage } from '../shared/siwx-message.js'
import type { SiwxExtension } from '../shared/types.js'
import { solanaSiwxVerifier } from '../solana/solana-siwx-verifier.js'
import type { SiwxStorage } from './key-value.js'
import { type SiwxOptions, siwx } from './siwx.js'

const ORIGIN = 'https://api.example.com'
const BASE = 'eip155:8453'
const option = (network: string) => ({
  scheme: 'exact',
  network: network as `${string}:${string}`,
  price: '$0.01',
  payTo: 'x',
})
const report: MatchedRoute = {
  key: 'GET /report',
  config: { accepts: [option(BASE), option(BASE), option('cash:test')] },
}
const other: MatchedRoute = { key: 'GET /other', config: { accepts: option(BASE) } }
const account = privateKeyToAccount(generatePrivateKey())

function setup(change: Partial<SiwxOptions> = {}) {
  return siwx({ origin: ORIGIN, grant: { ttlMs: 60_000 }, verifiers: [evmSiwxVerifier()], ...change })
}

async function signInRequest(
  signIn: ReturnType<typeof setup>,
  route = report,
  headers: Record<string, string> = {},
) {
  const declared = await signIn.handler.declareExtensions(new Request(`${ORIGIN}/report`), route)
  const offer = declared?.[SIGN_IN_WITH_X] as SiwxExtension | undefined
  if (!offer) throw new Error(`${route.key} offers no sign-in`)
  const { info } = offer
  const fields = { ...info, address: account.address, chainId: BASE }
  const signature = await account.signMessage({ message: formatSiwxMessage(fields) })
  const header = encodeSiwxHeader({ ...fields, type: 'eip191', signature })
  return new Request(`${ORIGIN}/report`, { headers: { [SIGN_IN_WITH_X_HEADER]: header, ...headers } })
}

/** What the HTTP payment handler hands `afterSettle` after a payment on `route`. */
function settle(signIn: ReturnType<typeof setup>, route = report.key, payer: string = account.address) {
  const result: SettleResponse = { success: true, transaction: '0x01', network: BASE, payer }
  const requirements = {
    scheme: 'exact',
    network: BASE,
    amount: '1',
    asset: '0x',
    payTo: 'x',
    maxTimeoutSeconds: 60,
  } as const
  return signIn.hooks.afterSettle(
    {
      payload: { x402Version: 2, accepted: requirements, payload: {} },
      requirements,
      request: new Request(`${ORIGIN}/report`),
      route,
    },
    result,
  )
}

describe('siwx', () => {
  test.each([
    ['an origin with a path', { origin: 'https://api.example.com/v1' }, /origin must be an http\(s\) origin/],
    ['a non-http origin', { origin: 'ftp://api.example.com' }, /origin must be/],
    ['no verifier', { verifiers: [] }, /at least one verifier/],
    ['an empty grant', { grant: {} }, /grant must be/],
    ['no grant for a list of routes', { grant: undefined, routes: ['GET /report'] }, /grant must be/],
    ['a bad route grant', { routes: { 'GET /report': { uses: -1 } } }, /route "GET \/report": grant must be/],
  ])('refuses %s at startup', (_name, change, message) => {
    expect(() => setup(change as Partial<SiwxOptions>)).toThrow(message)
  })

  test('declares a challenge on the route’s payment chains that have a verifier, once each', async () => {
    const signIn = setup({ verifiers: [evmSiwxVerifier(), solanaSiwxVerifier()] })
    const declared = await signIn.handler.declareExtensions(
      new Request('http://10.0.0.1:8080/report?x=1'),
      report,
    )
    const offer = declared?.[SIGN_IN_WITH_X] as SiwxExtension
    expect(offer.supportedChains).toEqual([{ chainId: BASE, type: 'eip191' }])
    expect(offer.info).toMatchObject({ domain: 'api.example.com', uri: `${ORIGIN}/report?x=1` })
    const cashOnly: MatchedRoute = { key: 'GET /cash', config: { accepts: option('cash:test') } }
    expect(await signIn.handler.declareExtensions(new Request(`${ORIGIN}/cash`), cashOnly)).toBeUndefined()
  })

  test.each([
    ['a list', ['GET /report']],
    ['a grant per route', { 'GET /report': { uses: 1 } }],
  ])('with routes as %s, only those routes offer or accept sign-in', async (_name, routes) => {
    const signIn = setup({ routes, ...(Array.isArray(routes) ? {} : { grant: undefined }) })
    expect(await signIn.handler.declareExtensions(new Request(`${ORIGIN}/other`), other)).toBeUndefined()
    await settle(signIn, 'GET /other')
    expect(await signIn.handler.access(await signInRequest(signIn, report), other)).toBeUndefined()
    await settle(signIn, 'GET /report')
    expect(await signIn.handler.access(await signInRequest(signIn, report), report)).toBe('grant')
  })

  test('lets in a wallet only after its payment was settled, and refuses a replay', async () => {
    const signIn = setup()
    const before = await signInRequest(signIn)
    expect(await signIn.handler.access(before, report)).toBeUndefined()
    await settle(signIn, report.key, account.address.toLowerCase())
    const after = await signInRequest(signIn)
    expect(await signIn.handler.access(after, report)).toBe('grant')
    expect(await signIn.handler.access(after, report)).toEqual({
      abort: { reason: 'siwx_nonce_reused', message: expect.stringMatching(/was used before/) },
    })
  })

  test('a request without SIGN-IN-WITH-X is left to pay; one that also carries a payment pays when its sign-in fails', async () => {
    const signIn = setup()
    expect(await signIn.handler.access(new Request(`${ORIGIN}/report`), report)).toBeUndefined()
    const garbled = new Request(`${ORIGIN}/report`, { headers: { [SIGN_IN_WITH_X_HEADER]: 'e30=' } })
    expect(await signIn.handler.access(garbled, report)).toMatchObject({
      abort: { reason: 'siwx_invalid_header' },
    })
    const paying = new Request(`${ORIGIN}/report`, {
      headers: { [SIGN_IN_WITH_X_HEADER]: 'e30=', 'PAYMENT-SIGNATURE': 'e30=' },
    })
    expect(await signIn.handler.access(paying, report)).toBeUndefined()
  })

  test('scope decides what an entitlement covers', async () => {
    const signIn = setup({ scope: (_route, request) => new URL(request.url).pathname })
    await settle(signIn)
    expect(
      await signIn.entitlements.get({
        scope: '/report',
        chainId: BASE,
        address: account.address.toLowerCase(),
      }),
    ).toMatchObject({
      uses: undefined,
    })
  })

  test('a failure to record an entitlement goes to onError, never to the paid answer', async () => {
    const errors: unknown[] = []
    const broken: SiwxStorage = {
      keyValue: () => ({
        get: () => Promise.reject(new Error('database down')),
        put: () => Promise.reject(new Error('database down')),
        putIfAbsent: () => Promise.reject(new Error('database down')),
        compareAndSet: () => Promise.reject(new Error('database down')),
      }),
    }
    const signIn = setup({ storage: broken, onError: (error) => errors.push(error) })
    await expect(settle(signIn)).resolves.toBeUndefined()
    expect(errors).toEqual([new Error('database down')])
  })
})

test('a signer made from a viem account signs with EIP-191', async () => {
  const signer = evmSiwxSigner(account)
  expect([signer.namespace, signer.type, signer.address, signer.signatureScheme]).toEqual([
    'eip155',
    'eip191',
    account.address,
    'eip191',
  ])
  expect(await signer.signMessage('hello')).toBe(await account.signMessage({ message: 'hello' }))
})
