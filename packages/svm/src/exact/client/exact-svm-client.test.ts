import { isX402Error, type PaymentRequirements } from '@open402/core'
import {
  generateKeyPairSigner,
  getPublicKeyFromAddress,
  type KeyPairSigner,
  verifySignature,
} from '@solana/kit'
import { findAssociatedTokenPda } from '@solana-program/token'
import { beforeAll, describe, expect, test } from 'vitest'
import { OFFLINE_BLOCKHASH } from '../../../test/helpers.js'
import { decodePaymentTransaction } from '../../shared/decode-payment-transaction.js'
import { COMPUTE_BUDGET_PROGRAM, MEMO_PROGRAM, TOKEN_PROGRAM } from '../../shared/programs.js'
import { exactSvmClient } from './exact-svm-client.js'

const DEVNET = 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1'
const DEVNET_USDC = '4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU'
const context = { x402Version: 2 as const, resource: { url: 'https://example.com/paid' } }
// The blockhash comes from extra.recentBlockhash and USDC is in the table: no RPC call may happen.
const rpc = { [DEVNET]: 'http://127.0.0.1:9' }

let owner: KeyPairSigner
let requirements: PaymentRequirements & { extra: Record<string, unknown> }
let feePayer: string

beforeAll(async () => {
  owner = await generateKeyPairSigner()
  const [feePayerKey, payTo] = await Promise.all([generateKeyPairSigner(), generateKeyPairSigner()])
  feePayer = feePayerKey.address
  requirements = {
    scheme: 'exact',
    network: DEVNET,
    amount: '10000',
    asset: DEVNET_USDC,
    payTo: payTo.address,
    maxTimeoutSeconds: 60,
    extra: { feePayer, recentBlockhash: OFFLINE_BLOCKHASH.blockhash },
  }
})

async function decodedPayment(client: ReturnType<typeof exactSvmClient>, req = requirements) {
  const payload = (await client.createPayload(req, context)) as { transaction: string }
  const decoded = decodePaymentTransaction(payload.transaction)
  if (!decoded.ok) throw new Error(decoded.message)
  return decoded.decoded
}

describe('exactSvmClient', () => {
  test('serves the exact scheme on every solana network and pays from the signer', () => {
    const client = exactSvmClient({ signer: owner, rpc })
    expect([client.scheme, client.network, client.payer(DEVNET)]).toEqual([
      'exact',
      'solana:*',
      owner.address,
    ])
    expect(client.decimals?.(DEVNET, DEVNET_USDC)).toBe(6)
    expect(client.decimals?.(DEVNET, owner.address)).toBeUndefined()
  })

  test('builds the spec layout with the facilitator as fee payer and signs as owner only', async () => {
    const decoded = await decodedPayment(exactSvmClient({ signer: owner, rpc }))
    const [source] = await findAssociatedTokenPda({
      owner: owner.address,
      mint: DEVNET_USDC as never,
      tokenProgram: TOKEN_PROGRAM,
    })
    const [destination] = await findAssociatedTokenPda({
      owner: requirements.payTo as never,
      mint: DEVNET_USDC as never,
      tokenProgram: TOKEN_PROGRAM,
    })
    expect(decoded.message.version).toBe(0)
    expect(decoded.feePayer).toBe(feePayer)
    expect(decoded.signers).toEqual([feePayer, owner.address])
    expect(decoded.instructions.map((instruction) => instruction.programAddress)).toEqual([
      COMPUTE_BUDGET_PROGRAM,
      COMPUTE_BUDGET_PROGRAM,
      TOKEN_PROGRAM,
      MEMO_PROGRAM,
    ])
    const transfer = decoded.instructions[2]
    expect(transfer?.accounts).toEqual([source, DEVNET_USDC, destination, owner.address])
    expect([...(transfer?.data ?? [])]).toEqual([12, 0x10, 0x27, 0, 0, 0, 0, 0, 0, 6])
    expect(decoded.transaction.signatures[feePayer as never]).toBeNull()
    const signature = decoded.transaction.signatures[owner.address]
    expect(signature).toBeDefined()
    expect(
      await verifySignature(
        await getPublicKeyFromAddress(owner.address),
        signature as never,
        decoded.transaction.messageBytes,
      ),
    ).toBe(true)
  })

  test('uses a random 16-byte hex memo so two equal payments are different transactions', async () => {
    const client = exactSvmClient({ signer: owner, rpc })
    const [a, b] = await Promise.all([decodedPayment(client), decodedPayment(client)])
    const memoOf = (decoded: typeof a) => new TextDecoder().decode(decoded.instructions[3]?.data)
    expect(memoOf(a)).toMatch(/^[0-9a-f]{32}$/)
    expect(memoOf(a)).not.toBe(memoOf(b))
  })

  test('carries extra.memo, and builds legacy transactions and custom compute budgets on request', async () => {
    const client = exactSvmClient({
      signer: owner,
      rpc,
      transactionVersion: 'legacy',
      computeUnitLimit: 30_000,
      computeUnitPriceMicroLamports: 7,
    })
    const decoded = await decodedPayment(client, {
      ...requirements,
      extra: { ...requirements.extra, memo: 'inv-7' },
    })
    expect(decoded.message.version).toBe('legacy')
    expect(new TextDecoder().decode(decoded.instructions[3]?.data)).toBe('inv-7')
    expect([...(decoded.instructions[0]?.data ?? [])]).toEqual([2, 0x30, 0x75, 0, 0])
    expect([...(decoded.instructions[1]?.data ?? [])]).toEqual([3, 7, 0, 0, 0, 0, 0, 0, 0])
  })

  test.each([
    ['no extra.feePayer', { extra: {} }, 'extra.feePayer'],
    ['a feePayer that is not an address', { extra: { feePayer: 'nope' } }, 'extra.feePayer'],
    ['a payTo that is not an address', { payTo: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C' }, 'payTo'],
  ])('refuses requirements with %s as invalid_config', async (_what, change, mentions) => {
    const error = await exactSvmClient({ signer: owner, rpc })
      .createPayload({ ...requirements, ...change } as PaymentRequirements, context)
      .catch((e: unknown) => e)
    expect(isX402Error(error, 'invalid_config')).toBe(true)
    expect((error as Error).message).toContain(mentions)
  })

  test('refuses a memo longer than 256 bytes', async () => {
    const error = await exactSvmClient({ signer: owner, rpc })
      .createPayload({ ...requirements, extra: { ...requirements.extra, memo: 'é'.repeat(129) } }, context)
      .catch((e: unknown) => e)
    expect(isX402Error(error, 'invalid_config')).toBe(true)
    expect((error as Error).message).toContain('256 bytes')
  })

  test('needs an RPC for a network without a public endpoint', async () => {
    const error = await exactSvmClient({ signer: owner })
      .createPayload(
        { ...requirements, network: 'solana:localnet1234', extra: { feePayer: feePayer } },
        context,
      )
      .catch((e: unknown) => e)
    expect(isX402Error(error, 'invalid_config')).toBe(true)
    expect((error as Error).message).toContain("rpc: { 'solana:localnet1234'")
  })
})
