import type { PaymentRequirements } from '@open402/core'
import { startDevnet } from '@open402/devnet'
import {
  decodePaymentTransaction,
  exactSvmClient,
  MEMO_PROGRAM,
  TOKEN_2022_PROGRAM,
  TOKEN_PROGRAM,
} from '@open402/svm'
import {
  generateKeyPairSigner,
  getBase64EncodedWireTransaction,
  getTransactionDecoder,
  type KeyPairSigner,
  partiallySignTransaction,
} from '@solana/kit'
import { beforeAll, describe, expect, test } from 'vitest'
import { createSolanaPayment, type SolanaPayer } from './svm-payment.js'

const DEVNET = 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1'
const DEVNET_USDC = '4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU'
const BLOCKHASH = '4NCYB3kRT8sCNodPNuCZo8VUh4xqpBQxsxed2wd9xaD4'
const context = { x402Version: 2 as const, resource: { url: 'https://example.com/paid' } }

let owner: KeyPairSigner
let requirements: PaymentRequirements
let signed: Uint8Array[]
let payer: SolanaPayer

beforeAll(async () => {
  owner = await generateKeyPairSigner()
  const [feePayer, payTo] = await Promise.all([generateKeyPairSigner(), generateKeyPairSigner()])
  requirements = {
    scheme: 'exact',
    network: DEVNET,
    amount: '10000',
    asset: DEVNET_USDC,
    payTo: payTo.address,
    maxTimeoutSeconds: 60,
    // A memo and a blockhash hint make @open402/svm's client deterministic, for a byte-for-byte comparison.
    extra: { feePayer: feePayer.address, memo: 'order-7', recentBlockhash: BLOCKHASH },
  }
  signed = []
  // What a Wallet Standard wallet does with `solana:signTransaction`: sign the message, return the bytes.
  payer = {
    address: owner.address,
    v0: true,
    async sign(bytes) {
      const transaction = getTransactionDecoder().decode(bytes)
      const out = await partiallySignTransaction([owner.keyPair], transaction)
      const wire = Buffer.from(getBase64EncodedWireTransaction(out), 'base64')
      signed.push(wire)
      return new Uint8Array(wire)
    },
  }
})

describe('the page builds the exact SVM payment', () => {
  test('byte for byte as @open402/svm exactSvmClient does, signed by the wallet only', async () => {
    const params = { mint: { decimals: 6, tokenProgram: TOKEN_PROGRAM } }
    const { transaction } = await createSolanaPayment(requirements, params, payer)
    const reference = (await exactSvmClient({
      signer: owner,
      rpc: { [DEVNET]: 'http://127.0.0.1:9' },
    }).createPayload(requirements, context)) as { transaction: string }
    const mine = decodePaymentTransaction(transaction)
    const theirs = decodePaymentTransaction(reference.transaction)
    if (!mine.ok || !theirs.ok) throw new Error('undecodable payment transaction')
    expect(mine.decoded.transaction.messageBytes).toEqual(theirs.decoded.transaction.messageBytes)
    expect(mine.decoded.feePayer).toBe(requirements.extra?.feePayer)
    expect(mine.decoded.transaction.signatures[requirements.extra?.feePayer as never]).toBeNull()
    expect(mine.decoded.transaction.signatures[owner.address]).toBeTruthy()
    expect(mine.decoded.instructions[3]?.programAddress).toBe(MEMO_PROGRAM)
  })

  test('a legacy transaction when the wallet signs no v0, and a random 16-byte memo without extra.memo', async () => {
    const { memo: _memo, ...extra } = requirements.extra ?? {}
    const { transaction } = await createSolanaPayment(
      { ...requirements, extra },
      { mint: { decimals: 6, tokenProgram: TOKEN_PROGRAM } },
      { ...payer, v0: false },
    )
    const decoded = decodePaymentTransaction(transaction)
    if (!decoded.ok) throw new Error(decoded.message)
    expect(decoded.decoded.message.version).toBe('legacy')
    expect(new TextDecoder().decode(decoded.decoded.instructions[3]?.data)).toMatch(/^[0-9a-f]{32}$/)
  })

  test.each([
    ['no extra.feePayer', { extra: {} }, 'fee payer'],
    [
      'a payTo that is not a Solana address',
      { payTo: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C' },
      'Solana addresses',
    ],
  ])('refuses requirements with %s', async (_what, change, message) => {
    await expect(createSolanaPayment({ ...requirements, ...change }, {}, payer)).rejects.toThrow(message)
  })

  test('asks for a configured RPC when it must look up the mint or the blockhash', async () => {
    const { recentBlockhash: _hint, ...extra } = requirements.extra ?? {}
    await expect(createSolanaPayment({ ...requirements, extra }, {}, payer)).rejects.toThrow(
      'no Solana RPC for this network',
    )
  })
})

test('reads an unknown mint (Token-2022) and the latest blockhash from the Solana RPC', async () => {
  const devnet = await startDevnet({ chains: ['svm'] })
  try {
    const { mint2022, rpcUrl, network } = devnet.svm
    const { recentBlockhash: _hint, ...extra } = requirements.extra ?? {}
    const { transaction } = await createSolanaPayment(
      { ...requirements, network, asset: mint2022.address, extra },
      { rpcUrl },
      payer,
    )
    const decoded = decodePaymentTransaction(transaction)
    if (!decoded.ok) throw new Error(decoded.message)
    const transfer = decoded.decoded.instructions[2]
    expect(transfer?.programAddress).toBe(TOKEN_2022_PROGRAM)
    expect(transfer?.data[9]).toBe(mint2022.decimals)
    // The decoded message carries its blockhash, which kit's compiled-message type does not declare.
    const { lifetimeToken: blockhash } = decoded.decoded.message as unknown as { lifetimeToken: string }
    const { value } = (
      await (
        await fetch(rpcUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            jsonrpc: '2.0',
            id: 1,
            method: 'isBlockhashValid',
            params: [blockhash],
          }),
        })
      ).json()
    ).result as { value: boolean }
    expect(value).toBe(true)
  } finally {
    await devnet.stop()
  }
})
