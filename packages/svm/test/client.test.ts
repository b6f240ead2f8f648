import { isX402Error } from '@open402/core'
import { type Devnet, startDevnet } from '@open402/devnet'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { exactSvmClient } from '../src/exact/client/exact-svm-client.js'
import { exactSvmFacilitator } from '../src/exact/facilitator/exact-svm-facilitator.js'
import { decodePaymentTransaction } from '../src/shared/decode-payment-transaction.js'
import { TOKEN_2022_PROGRAM } from '../src/shared/programs.js'
import { devnetParties, recordingRpc, requirementsFor, signerOf } from './helpers.js'

let devnet: Devnet<'svm'>

beforeAll(async () => {
  devnet = await startDevnet({ chains: ['svm'] })
})
afterAll(async () => {
  await devnet?.stop()
})

const context = { x402Version: 2 as const, resource: { url: 'https://example.com/paid' } }

describe('exactSvmClient on the devnet', () => {
  test('looks a Token-2022 mint up once, then only fetches blockhashes, and pays it verifiably', async () => {
    const { rpc, methods } = recordingRpc(devnet.svm.rpcUrl)
    const client = exactSvmClient({
      signer: await signerOf(devnet.svm.accounts.payer),
      rpc: { [devnet.svm.network]: rpc },
    })
    const requirements = requirementsFor(await devnetParties(devnet, { mint: 'token2022' }))
    const facilitator = exactSvmFacilitator({
      signers: [await signerOf(devnet.svm.accounts.facilitator)],
      networks: { [devnet.svm.network]: devnet.svm.rpcUrl },
    })

    const first = (await client.createPayload(requirements, context)) as { transaction: string }
    const afterFirst = [...methods].sort()
    const second = (await client.createPayload(requirements, context)) as { transaction: string }

    expect(afterFirst).toEqual(['getAccountInfo', 'getLatestBlockhash'])
    expect(methods.slice(2)).toEqual(['getLatestBlockhash'])
    const decoded = decodePaymentTransaction(first.transaction)
    expect(decoded.ok && decoded.decoded.instructions[2]?.programAddress).toBe(TOKEN_2022_PROGRAM)
    for (const payload of [first, second]) {
      const payment = { x402Version: 2 as const, accepted: requirements, payload }
      expect(await facilitator.verify(payment, requirements)).toEqual({
        isValid: true,
        payer: devnet.svm.accounts.payer.address,
      })
    }
  })

  test('refuses to pay an asset that is not a mint as invalid_config', async () => {
    const client = exactSvmClient({
      signer: await signerOf(devnet.svm.accounts.payer),
      rpc: { [devnet.svm.network]: devnet.svm.rpcUrl },
    })
    const requirements = {
      ...requirementsFor(await devnetParties(devnet)),
      asset: devnet.svm.accounts.merchant.address,
    }
    const error = await client.createPayload(requirements, context).catch((e: unknown) => e)
    expect(isX402Error(error, 'invalid_config')).toBe(true)
    expect((error as Error).message).toMatch(/not a mint|does not exist/)
  })
})
