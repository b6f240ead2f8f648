import { svmAssociatedTokenAddress, svmTokenBalance } from '@open402/devnet'
import { createSolanaRpc, type Signature } from '@solana/kit'
import { expect } from 'vitest'
import { PAID_BODY, PRICE_ATOMIC } from '../../src/paid-route.js'
import type { SvmDevnet } from '../../src/svm-devnet.js'
import type { Balances, DecodedSettlement } from './expect-settled.js'

/** A Solana transaction signature: base58 of 64 bytes. */
export const BASE58_SIGNATURE = /^[1-9A-HJ-NP-Za-km-z]{64,88}$/

/** Devnet USDC balances of the Solana payer and merchant, taken before a payment. */
export async function svmBalances(devnet: SvmDevnet): Promise<Balances> {
  const { payer, merchant } = devnet.svm.accounts
  return {
    payer: await svmTokenBalance(devnet, payer.address),
    merchant: await svmTokenBalance(devnet, merchant.address),
  }
}

interface ParsedInstruction {
  program?: string
  parsed?: { type?: string; info?: Record<string, unknown> }
}

/**
 * The `TransferChecked` instructions of a landed transaction, as the devnet's `getTransaction` (jsonParsed)
 * reports them (Kit gives integers as bigints), after asserting that `getSignatureStatuses` knows it as confirmed without error.
 */
export async function confirmedTransfers(
  devnet: SvmDevnet,
  signature: string,
): Promise<Record<string, unknown>[]> {
  const rpc = createSolanaRpc(devnet.svm.rpcUrl)
  const { value } = await rpc.getSignatureStatuses([signature as Signature]).send()
  expect(value[0]).toMatchObject({ err: null })
  expect(['confirmed', 'finalized']).toContain(value[0]?.confirmationStatus)
  const transaction = await rpc
    .getTransaction(signature as Signature, { encoding: 'jsonParsed', maxSupportedTransactionVersion: 0 })
    .send()
  expect(transaction?.meta?.err).toBeNull()
  const instructions = (transaction?.transaction.message.instructions ??
    []) as readonly unknown[] as readonly ParsedInstruction[]
  return instructions.flatMap(({ parsed }) =>
    parsed?.type === 'transferChecked' && parsed.info !== undefined ? [parsed.info] : [],
  )
}

/**
 * Asserts a paid `GET /weather` on Solana: 200 with the route's body, a successful settlement whose
 * transaction is a confirmed signature carrying exactly one `TransferChecked` of the price from the payer's
 * USDC account to the merchant's, and balances moved by exactly the price.
 */
export async function expectSvmSettledPayment(
  devnet: SvmDevnet,
  response: Response,
  settlement: DecodedSettlement | undefined,
  before: Balances,
): Promise<void> {
  const { payer, merchant } = devnet.svm.accounts
  const { mint } = devnet.svm
  expect(response.status, `body: ${await response.clone().text()}`).toBe(200)
  expect(await response.json()).toEqual(PAID_BODY)
  expect(settlement).toMatchObject({ success: true, network: devnet.svm.network, payer: payer.address })
  expect(settlement?.transaction).toMatch(BASE58_SIGNATURE)

  const transfers = await confirmedTransfers(devnet, settlement?.transaction ?? '')
  expect(transfers).toEqual([
    {
      source: await svmAssociatedTokenAddress(payer.address, mint.address, mint.tokenProgram),
      mint: mint.address,
      destination: await svmAssociatedTokenAddress(merchant.address, mint.address, mint.tokenProgram),
      authority: payer.address,
      tokenAmount: expect.objectContaining({
        amount: PRICE_ATOMIC.toString(),
        decimals: BigInt(mint.decimals),
      }),
    },
  ])

  const after = await svmBalances(devnet)
  expect(before.payer - after.payer).toBe(PRICE_ATOMIC)
  expect(after.merchant - before.merchant).toBe(PRICE_ATOMIC)
}
