import { generateKeyPairSigner } from '@solana/kit'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { beforeAll, describe, expect, test } from 'vitest'
import { evmSiwxSigner } from '../evm/evm-siwx-signer.js'
import { evmSiwxVerifier } from '../evm/evm-siwx-verifier.js'
import { formatSiwxMessage } from '../shared/siwx-message.js'
import type { SiwxSigner } from '../shared/siwx-signer.js'
import type { SiwxPayload } from '../shared/types.js'
import { solanaSiwxSigner } from '../solana/solana-siwx-signer.js'
import { solanaSiwxVerifier } from '../solana/solana-siwx-verifier.js'
import { createMemorySiwxStorage } from './key-value.js'
import { createNonceStore } from './nonce-store.js'
import { createSiwxChallenge } from './siwx-challenge.js'
import { type VerifySiwxOptions, verifySiwx } from './verify-siwx.js'

const ORIGIN = 'https://api.example.com'
const EVM = 'eip155:8453'
const SOLANA = 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1'
const T0 = Date.parse('2025-06-01T12:00:00.000Z')
const supportedChains = [
  { chainId: EVM, type: 'eip191' },
  { chainId: SOLANA, type: 'ed25519' },
]

let evm: SiwxSigner
let solana: SiwxSigner
let stranger: SiwxSigner
beforeAll(async () => {
  evm = evmSiwxSigner(privateKeyToAccount(generatePrivateKey()))
  stranger = evmSiwxSigner(privateKeyToAccount(generatePrivateKey()))
  solana = solanaSiwxSigner(await generateKeyPairSigner())
})

/** A proof of `signer` for a fresh challenge made at `at`, with `change` applied before signing. */
async function signedProof(
  signer: SiwxSigner,
  chainId: string,
  change: Partial<SiwxPayload> = {},
  at = T0,
): Promise<SiwxPayload> {
  const { info } = createSiwxChallenge({
    origin: ORIGIN,
    url: 'http://10.0.0.7:3000/report?day=1',
    supportedChains,
    now: at,
  })
  const fields = { ...info, address: signer.address, chainId, ...change }
  const signature = await signer.signMessage(formatSiwxMessage(fields))
  return { ...fields, type: signer.type, signature }
}

function options(now = T0 + 1000): VerifySiwxOptions {
  return {
    origin: ORIGIN,
    supportedChains,
    verifiers: [evmSiwxVerifier(), solanaSiwxVerifier()],
    nonces: createNonceStore(
      createMemorySiwxStorage(() => now),
      'nonces',
    ),
    now,
  }
}

describe('verifySiwx', () => {
  test('accepts an EOA’s EIP-4361 sign-in and names the address in lower case', async () => {
    const proof = await signedProof(evm, EVM)
    expect(proof.uri).toBe('https://api.example.com/report?day=1')
    expect(await verifySiwx(proof, options())).toEqual({
      valid: true,
      address: evm.address.toLowerCase(),
      chainId: EVM,
      payload: proof,
    })
  })

  test('accepts a Solana ed25519 sign-in (SIWS) and keeps the base58 address', async () => {
    const proof = await signedProof(solana, SOLANA)
    expect(proof.signature).toMatch(/^[1-9A-HJ-NP-Za-km-z]{86,88}$/)
    expect(await verifySiwx(proof, options())).toMatchObject({
      valid: true,
      address: solana.address,
      chainId: SOLANA,
    })
  })

  test('refuses the same proof twice: the nonce is used once', async () => {
    const proof = await signedProof(evm, EVM)
    const shared = options()
    expect((await verifySiwx(proof, shared)).valid).toBe(true)
    expect(await verifySiwx(proof, shared)).toMatchObject({ valid: false, reason: 'siwx_nonce_reused' })
  })

  test('of many concurrent uses of one proof exactly one is accepted', async () => {
    const proof = await signedProof(solana, SOLANA)
    const shared = options()
    const results = await Promise.all(Array.from({ length: 8 }, () => verifySiwx(proof, shared)))
    expect(results.filter((r) => r.valid)).toHaveLength(1)
  })

  const minutes = (n: number) => n * 60_000
  test.each<[string, Partial<SiwxPayload>, number, string]>([
    ['another domain', { domain: 'evil.example' }, T0, 'siwx_domain_mismatch'],
    ['the right domain with another port', { domain: 'api.example.com:8443' }, T0, 'siwx_domain_mismatch'],
    ['a uri on another origin', { uri: 'https://evil.example/report' }, T0, 'siwx_uri_mismatch'],
    ['a uri over http', { uri: 'http://api.example.com/report' }, T0, 'siwx_uri_mismatch'],
    ['an expired challenge', {}, T0 + minutes(5) + 1, 'siwx_expired'],
    [
      'an issuedAt older than 5 minutes',
      { expirationTime: '2030-01-01T00:00:00.000Z' },
      T0 + minutes(6),
      'siwx_expired',
    ],
    ['an issuedAt in the future', { issuedAt: '2025-06-01T12:01:00.000Z' }, T0, 'siwx_not_yet_valid'],
    ['a notBefore in the future', { notBefore: '2025-06-01T12:02:00.000Z' }, T0, 'siwx_not_yet_valid'],
    ['a chain not offered', { chainId: 'eip155:1' }, T0, 'siwx_unsupported_chain'],
  ])('refuses %s', async (_name, change, now, reason) => {
    const proof = await signedProof(evm, EVM, change)
    expect(await verifySiwx(proof, options(now))).toMatchObject({ valid: false, reason })
  })

  test('refuses a proof whose type is not the chain’s', async () => {
    const proof = { ...(await signedProof(evm, EVM)), type: 'ed25519' }
    expect(await verifySiwx(proof, options())).toMatchObject({
      valid: false,
      reason: 'siwx_unsupported_chain',
    })
  })

  test('refuses a chain for which no verifier is configured', async () => {
    const proof = await signedProof(solana, SOLANA)
    const evmOnly = { ...options(), verifiers: [evmSiwxVerifier()] }
    expect(await verifySiwx(proof, evmOnly)).toMatchObject({ valid: false, reason: 'siwx_unsupported_chain' })
  })

  test.each([
    ['EVM', () => signedProof(evm, EVM), EVM],
    ['Solana', () => signedProof(solana, SOLANA), SOLANA],
  ])('refuses a %s proof whose fields changed after signing', async (_name, make) => {
    const proof = await make()
    const result = await verifySiwx({ ...proof, statement: 'Send all funds' }, options())
    expect(result).toMatchObject({ valid: false, reason: 'siwx_invalid_signature' })
  })

  test('refuses a signature by another key than the address’s, and leaves the nonce usable', async () => {
    const proof = await signedProof(evm, EVM)
    const forged = await stranger.signMessage(formatSiwxMessage(proof))
    const shared = options()
    expect(await verifySiwx({ ...proof, signature: forged }, shared)).toMatchObject({
      valid: false,
      reason: 'siwx_invalid_signature',
      message: `the signature is not ${evm.address}'s signature of the message`,
    })
    expect((await verifySiwx(proof, shared)).valid).toBe(true)
  })

  test.each([
    ['a malformed EVM signature', async () => ({ ...(await signedProof(evm, EVM)), signature: '0x1234' })],
    [
      'an EVM address that fails its checksum',
      async () => {
        const proof = await signedProof(evm, EVM)
        const flipped = proof.address.replace(/[a-f]/, (c) => c.toUpperCase())
        return { ...proof, address: flipped }
      },
    ],
    [
      'a Solana signature that is not base58',
      async () => ({ ...(await signedProof(solana, SOLANA)), signature: '0OIl' }),
    ],
    [
      'a Solana signature of the wrong length',
      async () => ({ ...(await signedProof(solana, SOLANA)), signature: '3yZe7d' }),
    ],
  ])('refuses %s as an invalid signature', async (_name, make) => {
    expect(await verifySiwx(await make(), options())).toMatchObject({
      valid: false,
      reason: 'siwx_invalid_signature',
    })
  })

  test('refuses, without throwing, when the verifier cannot tell (RPC down)', async () => {
    const proof = await signedProof(evm, EVM, {}, T0)
    const failing = {
      namespace: 'eip155',
      type: 'eip191',
      normalizeAddress: (a: string) => a,
      verify: () => Promise.reject(new Error('fetch failed\n  at stack')),
    }
    expect(await verifySiwx(proof, { ...options(), verifiers: [failing] })).toEqual({
      valid: false,
      reason: 'siwx_invalid_signature',
      message: 'the signature could not be checked: fetch failed',
    })
  })
})
