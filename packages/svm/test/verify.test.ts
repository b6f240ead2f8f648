import { type Devnet, mintSvmTokens, startDevnet } from '@open402/devnet'
import { AccountRole, type Address, generateKeyPairSigner } from '@solana/kit'
import { getAddMemoInstruction } from '@solana-program/memo'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { exactSvmFacilitator } from '../src/exact/facilitator/exact-svm-facilitator.js'
import { MEMO_PROGRAM, TOKEN_2022_PROGRAM } from '../src/shared/programs.js'
import { buildPayment, devnetParties, recordingRpc, requirementsFor, signerOf } from './helpers.js'

let devnet: Devnet<'svm'>
let facilitator: ReturnType<typeof exactSvmFacilitator>

beforeAll(async () => {
  devnet = await startDevnet({ chains: ['svm'] })
  facilitator = exactSvmFacilitator({
    signers: [await signerOf(devnet.svm.accounts.facilitator)],
    networks: { [devnet.svm.network]: { rpcUrl: devnet.svm.rpcUrl } },
  })
})
afterAll(async () => {
  await devnet?.stop()
})

/** A fresh owner holding `amount` of the mint (and an associated token account for it). */
async function fundedOwner(amount: bigint, mint?: string) {
  const owner = await generateKeyPairSigner()
  await mintSvmTokens(devnet, owner.address, amount, mint)
  return owner
}

describe('exactSvmFacilitator.verify on the devnet', () => {
  test.each(['spl', 'token2022'] as const)(
    'accepts a valid %s payment with a single simulateTransaction call',
    async (mint) => {
      const { rpc, methods } = recordingRpc(devnet.svm.rpcUrl)
      const counted = exactSvmFacilitator({
        signers: [await signerOf(devnet.svm.accounts.facilitator)],
        networks: { [devnet.svm.network]: { rpc } },
      })
      const parties = await devnetParties(devnet, { mint })
      const payment = await buildPayment(parties)

      expect(await counted.verify(payment, requirementsFor(parties))).toEqual({
        isValid: true,
        payer: devnet.svm.accounts.payer.address,
      })
      expect(methods).toEqual(['simulateTransaction'])
    },
  )

  test('refuses a rule-breaking payment without any RPC call', async () => {
    const { rpc, methods } = recordingRpc(devnet.svm.rpcUrl)
    const counted = exactSvmFacilitator({
      signers: [await signerOf(devnet.svm.accounts.facilitator)],
      networks: { [devnet.svm.network]: { rpc } },
    })
    const parties = await devnetParties(devnet)
    const payment = await buildPayment(parties, {
      instructions: (list) => [
        ...list,
        {
          ...getAddMemoInstruction({ memo: 'drain' }, { programAddress: MEMO_PROGRAM }),
          accounts: [{ address: parties.feePayer, role: AccountRole.READONLY }],
        },
      ],
    })
    expect(await counted.verify(payment, requirementsFor(parties))).toMatchObject({
      isValid: false,
      invalidReason: 'invalid_exact_svm_payload_fee_payer_in_instruction_accounts',
    })
    expect(methods).toEqual([])
  })

  test.each([
    ['the owner holds less than the amount', 'spl', 9_999n, /insufficient funds/i],
    ['the owner holds less Token-2022 than the amount', 'token2022', 1n, /insufficient funds/i],
  ] as const)('refuses as transaction_simulation_failed when %s', async (_what, mint, balance, message) => {
    const mintAddress = mint === 'spl' ? devnet.svm.mint.address : devnet.svm.mint2022.address
    const owner = await fundedOwner(balance, mintAddress)
    const parties = await devnetParties(devnet, { mint, owner })
    const result = await facilitator.verify(await buildPayment(parties), requirementsFor(parties))
    expect(result).toMatchObject({
      isValid: false,
      invalidReason: 'transaction_simulation_failed',
      payer: owner.address,
    })
    expect(result.invalidMessage).toMatch(message)
  })

  test('refuses as transaction_simulation_failed when payTo has no token account', async () => {
    const payTo = (await generateKeyPairSigner()).address
    const parties = await devnetParties(devnet, { payTo })
    const result = await facilitator.verify(await buildPayment(parties), requirementsFor(parties))
    expect(result).toMatchObject({ isValid: false, invalidReason: 'transaction_simulation_failed' })
    expect(result.invalidMessage).toMatch(/InstructionError|AccountNotFound|invalid account data/i)
  })

  test('refuses as transaction_simulation_failed when TransferChecked names the wrong decimals', async () => {
    const parties = await devnetParties(devnet)
    const payment = await buildPayment(parties, { input: { decimals: 9 } })
    const result = await facilitator.verify(payment, requirementsFor(parties))
    expect(result).toMatchObject({ isValid: false, invalidReason: 'transaction_simulation_failed' })
    expect(result.invalidMessage).toMatch(/decimals|Custom.*18|0x12/i)
  })

  test('refuses as transaction_simulation_failed an SPL Token mint moved through Token-2022', async () => {
    const parties = { ...(await devnetParties(devnet)), tokenProgram: TOKEN_2022_PROGRAM as Address }
    const result = await facilitator.verify(await buildPayment(parties), requirementsFor(parties))
    expect(result).toMatchObject({ isValid: false, invalidReason: 'transaction_simulation_failed' })
  })

  test('refuses as transaction_simulation_failed a transaction built on an unknown blockhash', async () => {
    const parties = await devnetParties(devnet)
    const stale = {
      ...parties,
      blockhash: { blockhash: parties.feePayer as never, lastValidBlockHeight: 0n },
    }
    const result = await facilitator.verify(await buildPayment(stale), requirementsFor(parties))
    expect(result).toMatchObject({ isValid: false, invalidReason: 'transaction_simulation_failed' })
    expect(result.invalidMessage).toMatch(/BlockhashNotFound/)
  })

  test('accepts a payment to a merchant-sponsored fee payer that is also payTo', async () => {
    const parties = await devnetParties(devnet, { payTo: devnet.svm.accounts.facilitator.address as Address })
    await mintSvmTokens(devnet, devnet.svm.accounts.facilitator.address, 0n)
    const payment = await buildPayment(parties)
    expect(await facilitator.verify(payment, requirementsFor(parties))).toEqual({
      isValid: true,
      payer: devnet.svm.accounts.payer.address,
    })
  })
})
