// One facilitator key serving both EVM schemes: the exact and upto parts built with the same signer share its
// nonce, so settlements of both, sent at once, never collide.
import { type Devnet, startDevnet, tokenBalance } from '@open402/devnet'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { exactEvmFacilitator } from '../src/exact/facilitator/exact-evm-facilitator.js'
import { uptoEvmFacilitator } from '../src/upto/facilitator/upto-evm-facilitator.js'
import { devnetRequirements, otherAccount, signedPayment } from './helpers.js'
import { otherEvmAccount, permit2Requirements, signedPermit2Payment } from './permit2-helpers.js'

let devnet: Devnet<'evm'>

beforeAll(async () => {
  devnet = await startDevnet({ chains: ['evm'] })
})
afterAll(async () => {
  await devnet?.stop()
})

test('exact and upto parts given one signer settle concurrently, each with its own nonce', async () => {
  const key = otherAccount(devnet as Devnet, 11)
  const signer = privateKeyToAccount(key.privateKey)
  const networks = { [devnet.evm.network]: devnet.evm.rpcUrl }
  const exact = exactEvmFacilitator({ signer, networks })
  const upto = uptoEvmFacilitator({ signer, networks })
  const { merchant } = devnet.evm.accounts
  const before = await tokenBalance(devnet, merchant.address)

  const exactPayments = await Promise.all(
    [12, 13, 14].map(async (index) => {
      const requirements = devnetRequirements(devnet as Devnet, { amount: '1000' })
      const payer = privateKeyToAccount(otherAccount(devnet as Devnet, index).privateKey)
      return { requirements, payment: await signedPayment(payer, requirements) }
    }),
  )
  const uptoPayments = await Promise.all(
    [15, 2, 3].map(async (index) => {
      const max = permit2Requirements(devnet, { amount: '5000' }, signer.address)
      const payer = privateKeyToAccount(otherEvmAccount(devnet, index).privateKey)
      return { charge: { ...max, amount: '700' }, payment: await signedPermit2Payment(payer, max) }
    }),
  )

  const results = await Promise.all([
    ...exactPayments.map(({ payment, requirements }) => exact.settle(payment, requirements)),
    ...uptoPayments.map(({ payment, charge }) => upto.settle(payment, charge)),
  ])

  expect(results.map((result) => [result.success, result.status])).toEqual(
    Array.from({ length: 6 }, () => [true, 'confirmed']),
  )
  expect(new Set(results.map((result) => result.transaction)).size).toBe(6)
  expect(await tokenBalance(devnet, merchant.address)).toBe(before + 3n * 1000n + 3n * 700n)
})
