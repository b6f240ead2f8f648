import { decodeBase64Json, type PaymentRequired, type SettleResponse } from '@open402/core'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { evmSiwxSigner } from '../evm/evm-siwx-signer.js'
import { evmSiwxVerifier } from '../evm/evm-siwx-verifier.js'
import { createMemorySiwxStorage } from '../server/key-value.js'
import { createNonceStore } from '../server/nonce-store.js'
import { createSiwxChallenge } from '../server/siwx-challenge.js'
import { verifySiwx } from '../server/verify-siwx.js'
import { SIGN_IN_WITH_X, SIGN_IN_WITH_X_HEADER } from '../shared/constants.js'
import { decodeSiwxHeader } from '../shared/siwx-header.js'
import { siwxClient } from './siwx-client.js'

const ORIGIN = 'https://api.example.com'
const BASE = 'eip155:8453'
const account = privateKeyToAccount(generatePrivateKey())
const supportedChains = [
  { chainId: 'eip155:1', type: 'eip191' },
  { chainId: BASE, type: 'eip191' },
]

function required(change: Record<string, unknown> = {}): PaymentRequired {
  const challenge = createSiwxChallenge({ origin: ORIGIN, url: `${ORIGIN}/report`, supportedChains })
  return {
    x402Version: 2,
    resource: { url: `${ORIGIN}/report` },
    accepts: [],
    extensions: { [SIGN_IN_WITH_X]: { ...challenge, info: { ...challenge.info, ...change } } },
  }
}
const request = new Request(`${ORIGIN}/report`)
const settled = (payer: string, network = BASE): SettleResponse => ({
  success: true,
  transaction: '0x01',
  network: network as SettleResponse['network'],
  payer,
})

describe('siwxClient', () => {
  test('signs nothing before this origin was paid', async () => {
    const client = siwxClient({ signers: [evmSiwxSigner(account)] })
    expect(await client.signIn(required(), request)).toBeUndefined()
  })

  test('after a payment, answers the challenge on the chain paid on with the wallet that paid', async () => {
    const client = siwxClient({ signers: [evmSiwxSigner(account)] })
    await client.paid?.(settled(account.address.toLowerCase()), request)
    const offer = required({ requestId: 'r-1' })
    const headers = await client.signIn(offer, request)
    const proof = decodeSiwxHeader(headers?.[SIGN_IN_WITH_X_HEADER] ?? '')
    const declared = offer.extensions?.[SIGN_IN_WITH_X] as { info: Record<string, unknown> } | undefined
    if (!declared) throw new Error('no offer')
    const { info } = declared
    expect(proof).toEqual({
      ...info,
      address: account.address,
      chainId: BASE,
      type: 'eip191',
      signatureScheme: 'eip191',
      signature: expect.stringMatching(/^0x[0-9a-f]{130}$/),
    })
    const nonces = createNonceStore(createMemorySiwxStorage(), 'nonces')
    const verified = await verifySiwx(proof, {
      origin: ORIGIN,
      supportedChains,
      verifiers: [evmSiwxVerifier()],
      nonces,
    })
    expect(verified).toMatchObject({ valid: true, address: account.address.toLowerCase() })
  })

  test.each([
    ['another domain', { domain: 'bank.example' }],
    ['a uri on another origin', { uri: 'https://bank.example/transfer' }],
  ])('never signs a challenge naming %s than the one asked', async (_name, change) => {
    const client = siwxClient({ signers: [evmSiwxSigner(account)] })
    await client.paid?.(settled(account.address), request)
    expect(await client.signIn(required(change), request)).toBeUndefined()
  })

  test('for a resource, signs with the wallet that paid for it before wallets that paid other routes', async () => {
    const other = privateKeyToAccount(generatePrivateKey())
    const client = siwxClient({ signers: [evmSiwxSigner(account), evmSiwxSigner(other)] })
    await client.paid?.(settled(other.address), new Request(`${ORIGIN}/report?day=1`))
    await client.paid?.(settled(account.address), new Request(`${ORIGIN}/other`))
    const forReport = decodeSiwxHeader(
      (await client.signIn(required(), request))?.[SIGN_IN_WITH_X_HEADER] ?? '',
    )
    expect(forReport.address).toBe(other.address)
    const forOther = decodeSiwxHeader(
      (await client.signIn(required(), new Request(`${ORIGIN}/other`)))?.[SIGN_IN_WITH_X_HEADER] ?? '',
    )
    expect(forOther.address).toBe(account.address)
  })

  test('signs neither for another origin, another chain, nor with a wallet other than the payer', async () => {
    const other = privateKeyToAccount(generatePrivateKey())
    const client = siwxClient({ signers: [evmSiwxSigner(other)] })
    await client.paid?.(settled(account.address), request)
    expect(await client.signIn(required(), request)).toBeUndefined()

    const payerClient = siwxClient({ signers: [evmSiwxSigner(account)] })
    await payerClient.paid?.(settled(account.address, 'eip155:10'), request)
    await payerClient.paid?.(settled(account.address), new Request('https://elsewhere.example/report'))
    expect(await payerClient.signIn(required(), request)).toBeUndefined()
  })

  test('remembers nothing from a failed settlement or one without a payer', async () => {
    const client = siwxClient({ signers: [evmSiwxSigner(account)] })
    await client.paid?.({ ...settled(account.address), success: false }, request)
    await client.paid?.({ success: true, transaction: '0x01', network: BASE }, request)
    expect(await client.signIn(required(), request)).toBeUndefined()
  })

  test.each([
    ['no extension', undefined],
    ['an extension without chains', { info: {} }],
    ['an extension without a nonce', { info: { domain: 'api.example.com' }, supportedChains }],
  ])('ignores a 402 with %s (the client pays instead)', async (_name, extension) => {
    const client = siwxClient({
      signers: [evmSiwxSigner(account)],
      memory: {
        recall: () => [{ network: BASE, payer: account.address }],
        remember: () => {},
      },
    })
    const paymentRequired = {
      ...required(),
      extensions: extension === undefined ? {} : { [SIGN_IN_WITH_X]: extension },
    }
    expect(await client.signIn(paymentRequired, request)).toBeUndefined()
  })

  test('needs at least one signer', () => {
    expect(() => siwxClient({ signers: [] })).toThrow(expect.objectContaining({ code: 'invalid_config' }))
  })

  test('the header is standard base64 of the JSON proof', async () => {
    const client = siwxClient({ signers: [evmSiwxSigner(account)] })
    await client.paid?.(settled(account.address), request)
    const header = (await client.signIn(required(), request))?.[SIGN_IN_WITH_X_HEADER] ?? ''
    expect(header).toMatch(/^[A-Za-z0-9+/]+={0,2}$/)
    expect(decodeBase64Json('h', header)).toMatchObject({ domain: 'api.example.com', version: '1' })
  })
})
