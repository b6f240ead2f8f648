import { createPaymentClient, decodePaymentRequired, PAYMENT_REQUIRED_HEADER } from '@open402/core'
import { type Devnet, deploySmartWallet, startDevnet, svmTokenBalance, tokenBalance } from '@open402/devnet'
import { exactEvmClient } from '@open402/evm/client'
import { wrapFetch } from '@open402/fetch'
import { exactSvmClient } from '@open402/svm/client'
import { hashMessage, hashTypedData, type LocalAccount } from 'viem'
import { privateKeyToAccount, toAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { evmSiwxSigner } from '../src/evm.js'
import {
  encodeSiwxHeader,
  formatSiwxMessage,
  SIGN_IN_WITH_X,
  SIGN_IN_WITH_X_HEADER,
  type SiwxExtension,
  type SiwxSigner,
  siwxClient,
} from '../src/index.js'
import { solanaSiwxSigner } from '../src/solana.js'
import { DAY_MS, keyPairOf, type SiwxSite, startSiwxSite } from './support/siwx-site.js'

let devnet: Devnet
let site: SiwxSite
beforeAll(async () => {
  devnet = await startDevnet()
  site = await startSiwxSite(devnet)
})
afterAll(async () => {
  await site?.stop()
  await devnet?.stop()
})

const PRICE = 10_000n // $0.01 of the 6-decimal devnet USDC
const evmAccount = (index: number) => {
  const account = devnet.evm.accounts.others[index]
  if (!account) throw new Error(`the devnet has no others[${index}]`)
  return privateKeyToAccount(account.privateKey)
}
const evmPayments = (account: LocalAccount) =>
  createPaymentClient({
    schemes: [exactEvmClient({ account, assets: { [devnet.evm.network]: devnet.evm.token } })],
  })
const merchantBalance = () => tokenBalance(devnet, devnet.evm.accounts.merchant.address)

/** `fetch` that keeps every request it sends, to look at the headers afterwards. */
function recordingFetch() {
  const sent: Request[] = []
  const impl: typeof fetch = async (input, init) => {
    const request = new Request(input, init)
    sent.push(request.clone())
    return fetch(request)
  }
  return { impl, sent }
}

/** The sign-in challenge of a fresh 402 for `path`. */
async function challenge(path: string): Promise<SiwxExtension> {
  const response = await fetch(`${site.url}${path}`)
  expect(response.status).toBe(402)
  const required = decodePaymentRequired(response.headers.get(PAYMENT_REQUIRED_HEADER) ?? '')
  return required.extensions?.[SIGN_IN_WITH_X] as SiwxExtension
}

/** A SIGN-IN-WITH-X header signed by `signer` for a fresh challenge of `path`, its fields changed by `change`. */
async function signedHeader(path: string, signer: SiwxSigner, change: Record<string, string> = {}) {
  const { info, supportedChains } = await challenge(path)
  const chain = supportedChains.find((c) => c.chainId.startsWith(`${signer.namespace}:`))
  if (!chain) throw new Error(`no ${signer.namespace} chain offered`)
  const fields = { ...info, ...change, address: signer.address, chainId: chain.chainId }
  const signature = await signer.signMessage(formatSiwxMessage(fields))
  return encodeSiwxHeader({ ...fields, type: chain.type, signature })
}

const withHeader = (path: string, header: string) =>
  fetch(`${site.url}${path}`, { headers: { [SIGN_IN_WITH_X_HEADER]: header } })

const hitsSince = (start: number) => site.hits.slice(start)

describe('pay once, get remembered', () => {
  test('the 402 offers a fresh challenge for the site’s origin on the route’s payment chain', async () => {
    const first = await challenge('/report?city=oslo')
    const second = await challenge('/report?city=oslo')
    const host = new URL(site.url).host
    expect(first.info).toMatchObject({
      domain: host,
      uri: `${site.url}/report?city=oslo`,
      version: '1',
      statement: 'Sign in with the wallet that paid for this resource.',
      resources: [`${site.url}/report?city=oslo`],
    })
    expect(first.info.nonce).toMatch(/^[0-9a-f]{32}$/)
    expect(second.info.nonce).not.toBe(first.info.nonce)
    expect(Date.parse(first.info.expirationTime ?? '') - Date.parse(first.info.issuedAt)).toBe(5 * 60_000)
    expect(first.supportedChains).toEqual([{ chainId: devnet.evm.network, type: 'eip191' }])
    expect((await challenge('/sol')).supportedChains).toEqual([
      { chainId: devnet.svm.network, type: 'ed25519' },
    ])
  })

  test('an EOA that paid signs in on its next request and gets in without paying again', async () => {
    const account = evmAccount(0)
    const { impl, sent } = recordingFetch()
    const paidFetch = wrapFetch(impl, evmPayments(account), {
      signIn: siwxClient({ signers: [evmSiwxSigner(account)] }),
    })
    const start = site.hits.length
    const merchant = await merchantBalance()
    const payer = await tokenBalance(devnet, account.address)

    const paid = await paidFetch(`${site.url}/report`)
    expect([paid.status, await paid.json()]).toEqual([200, { report: 'sunny' }])
    expect(await merchantBalance()).toBe(merchant + PRICE)
    expect(await tokenBalance(devnet, account.address)).toBe(payer - PRICE)
    expect(
      await site.signIn.entitlements.get({
        scope: 'GET /report',
        chainId: devnet.evm.network,
        address: account.address.toLowerCase(),
      }),
    ).toMatchObject({ uses: undefined, expiresAt: expect.any(Number) })

    const again = await paidFetch(`${site.url}/report`)
    expect([again.status, await again.json()]).toEqual([200, { report: 'sunny' }])
    expect(again.headers.get('PAYMENT-RESPONSE')).toBeNull()
    expect(await merchantBalance()).toBe(merchant + PRICE)
    expect(await tokenBalance(devnet, account.address)).toBe(payer - PRICE)
    expect(hitsSince(start)).toEqual([
      'GET /report unsigned',
      'GET /report paid',
      'GET /report unsigned',
      'GET /report sign-in',
    ])
    const proof = JSON.parse(atob(sent[3]?.headers.get(SIGN_IN_WITH_X_HEADER) ?? ''))
    expect(proof).toMatchObject({ address: account.address, chainId: devnet.evm.network, type: 'eip191' })
  })

  test('a contract wallet (EIP-1271) that paid signs in, its signature checked by isValidSignature on chain', async () => {
    const owner = evmAccount(1)
    const wallet = await deploySmartWallet(devnet, owner.address)
    // The wallet's account: its address, the owner's key signing the digests the wallet is asked about.
    const account = toAccount({
      address: wallet,
      signMessage: ({ message }) => owner.sign({ hash: hashMessage(message) }),
      signTypedData: (typedData) =>
        owner.sign({ hash: hashTypedData(typedData as Parameters<typeof hashTypedData>[0]) }),
      signTransaction: () => Promise.reject(new Error('the wallet sends no transactions here')),
    })
    const paidFetch = wrapFetch(fetch, evmPayments(account), {
      signIn: siwxClient({ signers: [evmSiwxSigner(account, { signatureScheme: 'eip1271' })] }),
    })
    const start = site.hits.length
    const before = await tokenBalance(devnet, wallet)

    expect((await paidFetch(`${site.url}/report`)).status).toBe(200)
    expect(await tokenBalance(devnet, wallet)).toBe(before - PRICE)
    const again = await paidFetch(`${site.url}/report`)
    expect([again.status, await again.json()]).toEqual([200, { report: 'sunny' }])
    expect(await tokenBalance(devnet, wallet)).toBe(before - PRICE)
    expect(hitsSince(start)).toEqual([
      'GET /report unsigned',
      'GET /report paid',
      'GET /report unsigned',
      'GET /report sign-in',
    ])
    // The owner's EOA is another wallet that never paid; a stranger signing in the wallet's name is
    // refused by the wallet's isValidSignature.
    const ownerOnly = await withHeader('/report', await signedHeader('/report', evmSiwxSigner(owner)))
    expect(decodePaymentRequired(ownerOnly.headers.get(PAYMENT_REQUIRED_HEADER) ?? '').error).toBe(
      'Payment required',
    )
    const stranger = evmAccount(8)
    const impostor: SiwxSigner = {
      namespace: 'eip155',
      type: 'eip191',
      address: wallet,
      signMessage: (message) => stranger.sign({ hash: hashMessage(message) }),
    }
    const refused = await withHeader('/report', await signedHeader('/report', impostor))
    expect([refused.status, (await refused.json()).error]).toEqual([402, 'siwx_invalid_signature'])
  })

  test('a Solana wallet that paid signs in with ed25519 (Sign-In-With-Solana)', async () => {
    const payer = await keyPairOf(devnet.svm.accounts.others[0] as { secretKey: string })
    const client = createPaymentClient({
      schemes: [exactSvmClient({ signer: payer, rpc: { [devnet.svm.network]: devnet.svm.rpcUrl } })],
    })
    const paidFetch = wrapFetch(fetch, client, { signIn: siwxClient({ signers: [solanaSiwxSigner(payer)] }) })
    const start = site.hits.length
    const merchant = await svmTokenBalance(devnet, devnet.svm.accounts.merchant.address)

    const paid = await paidFetch(`${site.url}/sol`)
    expect([paid.status, await paid.json()]).toEqual([200, { slot: 'fast' }])
    expect(await svmTokenBalance(devnet, devnet.svm.accounts.merchant.address)).toBe(merchant + PRICE)
    const again = await paidFetch(`${site.url}/sol`)
    expect([again.status, await again.json()]).toEqual([200, { slot: 'fast' }])
    expect(await svmTokenBalance(devnet, devnet.svm.accounts.merchant.address)).toBe(merchant + PRICE)
    expect(hitsSince(start)).toEqual([
      'GET /sol unsigned',
      'GET /sol paid',
      'GET /sol unsigned',
      'GET /sol sign-in',
    ])
  })

  test('a uses-limited grant runs out, and the wallet then pays again', async () => {
    const account = evmAccount(2)
    const paidFetch = wrapFetch(fetch, evmPayments(account), {
      signIn: siwxClient({ signers: [evmSiwxSigner(account)] }),
    })
    const start = site.hits.length
    const merchant = await merchantBalance()
    for (let i = 0; i < 5; i++) expect((await paidFetch(`${site.url}/metered`)).status).toBe(200)
    // Paid, 2 sign-ins, a refused sign-in then paid again, a sign-in from the second payment.
    expect(hitsSince(start).filter((hit) => !hit.endsWith('unsigned'))).toEqual([
      'GET /metered paid',
      'GET /metered sign-in',
      'GET /metered sign-in',
      'GET /metered sign-in',
      'GET /metered paid',
      'GET /metered sign-in',
    ])
    expect(await merchantBalance()).toBe(merchant + 2n * PRICE)
    const entitlement = {
      scope: 'GET /metered',
      chainId: devnet.evm.network,
      address: account.address.toLowerCase(),
    }
    expect(await site.signIn.entitlements.get(entitlement)).toEqual({ uses: 1, expiresAt: null })
  })
})

describe('refused sign-ins', () => {
  /** A wallet with a 24-hour entitlement on /report, granted directly (no chain transaction). */
  async function entitledSigner(index: number): Promise<SiwxSigner> {
    const account = evmAccount(index)
    const address = account.address.toLowerCase()
    await site.signIn.entitlements.grant(
      { scope: 'GET /report', chainId: devnet.evm.network, address },
      { ttlMs: DAY_MS },
    )
    return evmSiwxSigner(account)
  }

  /** Expects a 402 refusal with `reason` and a fresh challenge to sign or offers to pay. */
  async function expectRefused(response: Response, reason: string) {
    expect(response.status).toBe(402)
    const body = await response.json()
    expect(body).toMatchObject({ error: reason, message: expect.any(String) })
    const required = decodePaymentRequired(response.headers.get(PAYMENT_REQUIRED_HEADER) ?? '')
    expect(required.error).toBe(reason)
    expect(required.accepts).toHaveLength(1)
    const offer = required.extensions?.[SIGN_IN_WITH_X] as SiwxExtension | undefined
    expect(offer?.info.nonce).toMatch(/^[0-9a-f]{32}$/)
  }

  test('a replayed SIGN-IN-WITH-X header is refused: the nonce was used', async () => {
    const signer = await entitledSigner(3)
    const header = await signedHeader('/report', signer)
    const first = await withHeader('/report', header)
    expect([first.status, await first.json()]).toEqual([200, { report: 'sunny' }])
    await expectRefused(await withHeader('/report', header), 'siwx_nonce_reused')
  })

  test('an expired sign-in is refused; a fresh one of the same wallet is let in', async () => {
    const signer = await entitledSigner(4)
    const stale = await signedHeader('/report', signer)
    site.clock.offsetMs = 6 * 60_000
    try {
      await expectRefused(await withHeader('/report', stale), 'siwx_expired')
      expect((await withHeader('/report', await signedHeader('/report', signer))).status).toBe(200)
    } finally {
      site.clock.offsetMs = 0
    }
  })

  test.each([
    ['another domain', { domain: 'api.example.com' }, 'siwx_domain_mismatch'],
    ['the right host on another port', { domain: '127.0.0.1:1' }, 'siwx_domain_mismatch'],
    ['a uri on another origin', { uri: 'https://api.example.com/report' }, 'siwx_uri_mismatch'],
  ])('a sign-in signed for %s is refused', async (_name, change, reason) => {
    const signer = await entitledSigner(5)
    await expectRefused(await withHeader('/report', await signedHeader('/report', signer, change)), reason)
  })

  test('a header that is not a sign-in is refused as siwx_invalid_header', async () => {
    await expectRefused(await withHeader('/report', btoa('{"domain":"x"}')), 'siwx_invalid_header')
  })

  test('a wallet that never paid is asked to pay, even with a valid sign-in', async () => {
    const stranger = evmSiwxSigner(evmAccount(6))
    const response = await withHeader('/report', await signedHeader('/report', stranger))
    expect(response.status).toBe(402)
    const required = decodePaymentRequired(response.headers.get(PAYMENT_REQUIRED_HEADER) ?? '')
    expect(required.error).toBe('Payment required')
    expect(await response.json()).toEqual(required)
  })

  test('a client that wrongly believes it paid tries its sign-in once, then pays as usual', async () => {
    const account = evmAccount(7)
    const believesItPaid = {
      recall: () => [{ network: devnet.evm.network, payer: account.address }],
      remember: () => {},
    }
    const paidFetch = wrapFetch(fetch, evmPayments(account), {
      signIn: siwxClient({ signers: [evmSiwxSigner(account)], memory: believesItPaid }),
    })
    const start = site.hits.length
    const merchant = await merchantBalance()
    const response = await paidFetch(`${site.url}/report`)
    expect([response.status, await response.json()]).toEqual([200, { report: 'sunny' }])
    expect(hitsSince(start)).toEqual(['GET /report unsigned', 'GET /report sign-in', 'GET /report paid'])
    expect(await merchantBalance()).toBe(merchant + PRICE)
  })
})
