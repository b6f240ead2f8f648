// Two instances of one site behind a balancer, on one PostgreSQL storage: what one learns about a payment
// or a used nonce, the other knows.
import { createPaymentClient, decodePaymentRequired, PAYMENT_REQUIRED_HEADER } from '@open402/core'
import { type Devnet, startDevnet, tokenBalance } from '@open402/devnet'
import { exactEvmClient } from '@open402/evm/client'
import { wrapFetch } from '@open402/fetch'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  assertPostgresReachable,
  createEngineFixture,
  type EngineFixture,
} from '../../storage/test/engines.js'
import { evmSiwxSigner } from '../src/evm.js'
import {
  encodeSiwxHeader,
  formatSiwxMessage,
  SIGN_IN_WITH_X,
  SIGN_IN_WITH_X_HEADER,
  type SiwxExtension,
  siwxClient,
} from '../src/index.js'
import { type SiwxSite, startSiwxSite } from './support/siwx-site.js'

const PUBLIC_ORIGIN = 'http://api.shop.test'

let devnet: Devnet<'evm'>
let fixture: EngineFixture
let a: SiwxSite
let b: SiwxSite
beforeAll(async () => {
  await assertPostgresReachable()
  devnet = await startDevnet({ chains: ['evm'] })
  fixture = createEngineFixture('postgres')
  const storageA = fixture.open()
  await storageA.migrate()
  a = await startSiwxSite(devnet, { origin: PUBLIC_ORIGIN, storage: storageA })
  b = await startSiwxSite(devnet, { origin: PUBLIC_ORIGIN, storage: fixture.open() })
})
afterAll(async () => {
  await a?.stop()
  await b?.stop()
  await fixture?.cleanup()
  await devnet?.stop()
})

/** The balancer: requests to the public origin go to the instance `to.site` points at. */
const to: { site?: SiwxSite } = {}
const sent: Request[] = []
const balancer: typeof fetch = async (input, init) => {
  const request = new Request(input, init)
  sent.push(request.clone())
  const url = new URL(request.url)
  const target = to.site ?? a
  return fetch(new Request(`${target.url}${url.pathname}${url.search}`, request))
}

const account = () => {
  const key = devnet.evm.accounts.others[9]?.privateKey
  if (!key) throw new Error('the devnet has no others[9]')
  return privateKeyToAccount(key)
}

describe('two instances on one PostgreSQL storage', () => {
  test('a payment made on one instance lets the wallet sign in on the other, and a nonce is used once for both', async () => {
    const payer = account()
    const paidFetch = wrapFetch(
      balancer,
      createPaymentClient({
        schemes: [exactEvmClient({ account: payer, assets: { [devnet.evm.network]: devnet.evm.token } })],
      }),
      { signIn: siwxClient({ signers: [evmSiwxSigner(payer)] }) },
    )
    const before = await tokenBalance(devnet, payer.address)

    to.site = a
    expect((await paidFetch(`${PUBLIC_ORIGIN}/report`)).status).toBe(200)
    expect(await tokenBalance(devnet, payer.address)).toBe(before - 10_000n)
    expect(a.hits.slice(-1)).toEqual(['GET /report paid'])

    to.site = b
    const signedIn = await paidFetch(`${PUBLIC_ORIGIN}/report`)
    expect([signedIn.status, await signedIn.json()]).toEqual([200, { report: 'sunny' }])
    expect(b.hits).toEqual(['GET /report unsigned', 'GET /report sign-in'])
    expect(await tokenBalance(devnet, payer.address)).toBe(before - 10_000n)

    const header = sent.at(-1)?.headers.get(SIGN_IN_WITH_X_HEADER) ?? ''
    const replayed = await fetch(`${a.url}/report`, { headers: { [SIGN_IN_WITH_X_HEADER]: header } })
    expect([replayed.status, (await replayed.json()).error]).toEqual([402, 'siwx_nonce_reused'])
  })

  test('uses are counted once across instances, whoever answers the concurrent sign-ins', async () => {
    const payer = account()
    const signer = evmSiwxSigner(payer)
    const address = payer.address.toLowerCase()
    await a.signIn.entitlements.grant(
      { scope: 'GET /metered', chainId: devnet.evm.network, address },
      { uses: 3 },
    )
    const headers = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const response = await fetch(`${a.url}/metered`)
        const required = decodePaymentRequired(response.headers.get(PAYMENT_REQUIRED_HEADER) ?? '')
        const offer = required.extensions?.[SIGN_IN_WITH_X] as SiwxExtension | undefined
        if (!offer) throw new Error('the 402 offers no sign-in')
        const { info } = offer
        const fields = { ...info, address: payer.address, chainId: devnet.evm.network }
        return encodeSiwxHeader({
          ...fields,
          type: 'eip191',
          signature: await signer.signMessage(formatSiwxMessage(fields)),
        })
      }),
    )
    const answers = await Promise.all(
      headers.map((header, i) =>
        fetch(`${(i % 2 === 0 ? a : b).url}/metered`, { headers: { [SIGN_IN_WITH_X_HEADER]: header } }),
      ),
    )
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(3)
    expect(answers.filter((answer) => answer.status === 402)).toHaveLength(5)
    expect(
      await b.signIn.entitlements.get({ scope: 'GET /metered', chainId: devnet.evm.network, address }),
    ).toEqual({
      uses: 0,
      expiresAt: null,
    })
  })
})
