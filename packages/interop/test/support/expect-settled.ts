import { type DevnetDescription, devnetChain, tokenBalance } from '@open402/devnet'
import { createPublicClient, erc20Abi, http, parseEventLogs } from 'viem'
import { expect } from 'vitest'
import { PAID_BODY, PRICE_ATOMIC } from '../../src/paid-route.js'

/** Token balances of the payer and the merchant, taken before a payment. */
export interface Balances {
  payer: bigint
  merchant: bigint
}

/** The devnet token balances of the payer and the merchant. */
export async function balances(devnet: DevnetDescription): Promise<Balances> {
  const { payer, merchant } = devnet.evm.accounts
  return {
    payer: await tokenBalance(devnet, payer.address),
    merchant: await tokenBalance(devnet, merchant.address),
  }
}

/** What a client decoded from PAYMENT-RESPONSE (official and open402 decoders both give this shape). */
export interface DecodedSettlement {
  success: boolean
  transaction: string
  network: string
  payer?: string
}

/**
 * Asserts a paid `GET /weather`: 200 with the route's body, a successful settlement on the devnet whose
 * transaction is a mined EIP-3009 transfer of the price from payer to merchant, and balances moved by exactly
 * the price.
 */
export async function expectSettledPayment(
  devnet: DevnetDescription,
  response: Response,
  settlement: DecodedSettlement | undefined,
  before: Balances,
): Promise<void> {
  const { payer, merchant } = devnet.evm.accounts
  expect(response.status, `body: ${await response.clone().text()}`).toBe(200)
  expect(await response.json()).toEqual(PAID_BODY)
  expect(settlement).toMatchObject({ success: true, network: devnet.evm.network })
  expect(settlement?.payer?.toLowerCase()).toBe(payer.address.toLowerCase())
  expect(settlement?.transaction).toMatch(/^0x[0-9a-f]{64}$/i)

  const client = createPublicClient({ chain: devnetChain(devnet), transport: http(devnet.evm.rpcUrl) })
  const receipt = await client.getTransactionReceipt({ hash: settlement?.transaction as `0x${string}` })
  expect(receipt.status).toBe('success')
  expect(receipt.to?.toLowerCase()).toBe(devnet.evm.token.address.toLowerCase())
  const transfers = parseEventLogs({ abi: erc20Abi, eventName: 'Transfer', logs: receipt.logs })
  expect(transfers.map(({ args }) => args)).toEqual([
    { from: payer.address, to: merchant.address, value: PRICE_ATOMIC },
  ])

  const after = await balances(devnet)
  expect(before.payer - after.payer).toBe(PRICE_ATOMIC)
  expect(after.merchant - before.merchant).toBe(PRICE_ATOMIC)
}
