import { generateKeyPairSync } from 'node:crypto'
import { isX402Error } from '@open402/core'
import { getBase58Decoder } from '@solana/kit'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, it } from 'vitest'
import { createFacilitatorFromConfig } from './create-facilitator-from-config.js'

const KEY_A = `0x${'11'.repeat(32)}` as const
const KEY_B = `0x${'22'.repeat(32)}` as const
const A = privateKeyToAccount(KEY_A).address
const B = privateKeyToAccount(KEY_B).address
const SOLANA_DEVNET = 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1'

/** A Solana secret key as the CLI takes it: base58 of seed || public key, and its address. */
function solanaKey(): { secretKey: string; address: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32)
  const pub = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32)
  const base58 = getBase58Decoder()
  return { secretKey: base58.decode(new Uint8Array([...seed, ...pub])), address: base58.decode(pub) }
}

async function errorOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run()
  } catch (error) {
    if (isX402Error(error, 'invalid_config')) return error.message
    throw error
  }
  throw new Error('expected an invalid_config error')
}

describe('createFacilitatorFromConfig', () => {
  it('serves every configured EVM network with the shared keys', async () => {
    const { facilitator, readiness, balances } = await createFacilitatorFromConfig({
      evm: [
        { network: 'eip155:8453', rpcUrl: 'http://127.0.0.1:1', privateKeys: [KEY_A, KEY_B] },
        { network: 'eip155:84532', rpcUrl: 'http://127.0.0.1:2', privateKeys: [KEY_A, KEY_B] },
      ],
    })
    const supported = await facilitator.supported()
    expect(supported.kinds.map((kind) => `${kind.scheme} ${kind.network}`)).toEqual([
      'exact eip155:8453',
      'exact eip155:84532',
    ])
    expect(supported.signers).toEqual({ 'eip155:*': [A, B] })
    expect(readiness.map((check) => check.name)).toEqual(['rpc eip155:8453', 'rpc eip155:84532'])
    expect(balances.map((balance) => `${balance.network} ${balance.signer}`)).toEqual([
      `eip155:8453 ${A}`,
      `eip155:8453 ${B}`,
      `eip155:84532 ${A}`,
      `eip155:84532 ${B}`,
    ])
  })

  it('keeps networks with different keys apart, each with its own signer', async () => {
    const { facilitator } = await createFacilitatorFromConfig({
      evm: [
        { network: 'eip155:8453', rpcUrl: 'http://127.0.0.1:1', privateKeys: [KEY_A] },
        { network: 'eip155:10', rpcUrl: 'http://127.0.0.1:2', privateKeys: [KEY_B] },
      ],
    })
    const supported = await facilitator.supported()
    expect(supported.kinds.map((kind) => kind.network)).toEqual(['eip155:8453', 'eip155:10'])
    expect(new Set(supported.signers['eip155:*'])).toEqual(new Set([A, B]))
  })

  it('serves a Solana network with its fee payer next to an EVM one', async () => {
    const solana = solanaKey()
    const { facilitator, readiness } = await createFacilitatorFromConfig({
      evm: [{ network: 'eip155:8453', rpcUrl: 'http://127.0.0.1:1', privateKeys: [KEY_A] }],
      svm: [{ network: SOLANA_DEVNET, rpcUrl: 'http://127.0.0.1:3', secretKeys: [solana.secretKey] }],
    })
    const supported = await facilitator.supported()
    expect(supported.kinds).toEqual([
      { x402Version: 2, scheme: 'exact', network: 'eip155:8453' },
      { x402Version: 2, scheme: 'exact', network: SOLANA_DEVNET, extra: { feePayer: solana.address } },
    ])
    expect(supported.signers).toEqual({ 'eip155:*': [A], 'solana:*': [solana.address] })
    expect(readiness.map((check) => check.name)).toEqual(['rpc eip155:8453', `rpc ${SOLANA_DEVNET}`])
  })

  it('refuses a malformed EVM key, naming the field but not the key', async () => {
    const message = await errorOf(() =>
      createFacilitatorFromConfig({
        evm: [
          {
            network: 'eip155:8453',
            rpcUrl: 'http://127.0.0.1:1',
            privateKeys: ['0xnotakey' as `0x${string}`],
          },
        ],
      }),
    )
    expect(message).toMatch(/config\.evm\[0\]\.privateKeys\[0\]: must be 0x followed by 64 hex digits/)
    expect(message).not.toContain('0xnotakey')
  })

  it('refuses a Solana key that is not 64 bytes of base58, without echoing it', async () => {
    const secret = solanaKey().secretKey.slice(0, 60)
    const message = await errorOf(() =>
      createFacilitatorFromConfig({
        svm: [{ network: SOLANA_DEVNET, rpcUrl: 'http://127.0.0.1:3', secretKeys: [secret] }],
      }),
    )
    expect(message).toMatch(/config\.svm\[0\]\.secretKeys\[0\]: must be the base58 of a 64-byte secret key/)
    expect(message).not.toContain(secret)
  })

  it('refuses a configuration without any network and one naming a network twice', async () => {
    expect(await errorOf(() => createFacilitatorFromConfig({}))).toMatch(/at least one network/)
    const twice = await errorOf(() =>
      createFacilitatorFromConfig({
        evm: [
          { network: 'eip155:10', rpcUrl: 'http://127.0.0.1:1', privateKeys: [KEY_A] },
          { network: 'eip155:10', rpcUrl: 'http://127.0.0.1:2', privateKeys: [KEY_B] },
        ],
      }),
    )
    expect(twice).toMatch(/eip155:10 is configured twice/)
  })
})
