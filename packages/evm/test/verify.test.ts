import { EXACT_EVM_REASONS, isErrorReason, SPEC_REASONS } from '@open402/core'
import { type Devnet, deploySmartWallet, startDevnet, tokenBalance } from '@open402/devnet'
import { concat, createPublicClient, encodeAbiParameters, http } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { exactEvmFacilitator } from '../src/exact/facilitator/exact-evm-facilitator.js'
import { eip3009Abi } from '../src/shared/eip3009-abi.js'
import { devnetRequirements, otherAccount, recordingTransport, signedPayment } from './helpers.js'

let devnet: Devnet
let facilitator: ReturnType<typeof exactEvmFacilitator>

beforeAll(async () => {
  devnet = await startDevnet()
  facilitator = exactEvmFacilitator({
    signer: privateKeyToAccount(devnet.evm.accounts.facilitator.privateKey),
    networks: { [devnet.evm.network]: { rpcUrl: devnet.evm.rpcUrl } },
  })
})
afterAll(async () => {
  await devnet?.stop()
})

const payer = () => privateKeyToAccount(devnet.evm.accounts.payer.privateKey)

describe('exactEvmFacilitator.verify on the devnet', () => {
  test('accepts a valid EOA payment without changing balances or the authorization state', async () => {
    const requirements = devnetRequirements(devnet)
    const payment = await signedPayment(payer(), requirements)
    const { payer: from, merchant } = devnet.evm.accounts
    const before = [await tokenBalance(devnet, from.address), await tokenBalance(devnet, merchant.address)]

    const result = await facilitator.verify(payment, requirements)

    expect(result).toEqual({ isValid: true, payer: from.address })
    expect([await tokenBalance(devnet, from.address), await tokenBalance(devnet, merchant.address)]).toEqual(
      before,
    )
    const client = createPublicClient({ transport: http(devnet.evm.rpcUrl) })
    const used = await client.readContract({
      address: devnet.evm.token.address,
      abi: eip3009Abi,
      functionName: 'authorizationState',
      args: [from.address, (payment.payload.authorization as { nonce: `0x${string}` }).nonce],
    })
    expect(used).toBe(false)
  })

  test('verifies an EOA payment with exactly one RPC request (the simulation)', async () => {
    const { transport, methods } = recordingTransport(devnet.evm.rpcUrl)
    const counted = exactEvmFacilitator({
      signer: privateKeyToAccount(devnet.evm.accounts.facilitator.privateKey),
      networks: { [devnet.evm.network]: { transport } },
    })
    const requirements = devnetRequirements(devnet)
    for (let i = 0; i < 3; i++) {
      const before = methods.length
      const result = await counted.verify(await signedPayment(payer(), requirements), requirements)
      expect(result.isValid).toBe(true)
      expect(methods.slice(before)).toEqual(['eth_call'])
    }
  })

  test('refuses locally (no RPC at all) a payment that breaks a binding rule', async () => {
    const { transport, methods } = recordingTransport(devnet.evm.rpcUrl)
    const counted = exactEvmFacilitator({
      signer: privateKeyToAccount(devnet.evm.accounts.facilitator.privateKey),
      networks: { [devnet.evm.network]: { transport } },
    })
    const requirements = devnetRequirements(devnet)
    const payment = await signedPayment(payer(), requirements, { signed: { ...requirements, amount: '1' } })
    const result = await counted.verify(payment, requirements)
    expect(result.invalidReason).toBe('invalid_exact_evm_payload_authorization_value_mismatch')
    expect(methods).toEqual([])
  })

  test('accepts a payment from a deployed EIP-1271 smart wallet', async () => {
    const owner = privateKeyToAccount(otherAccount(devnet, 0).privateKey)
    const wallet = await deploySmartWallet(devnet, owner.address)
    const requirements = devnetRequirements(devnet)
    const result = await facilitator.verify(
      await signedPayment(owner, requirements, { from: wallet }),
      requirements,
    )
    expect(result).toEqual({ isValid: true, payer: wallet })
  })

  test('lists its kinds and signers', () => {
    expect(facilitator.kinds()).toEqual([{ x402Version: 2, scheme: 'exact', network: 'eip155:31337' }])
    expect(facilitator.signers()).toEqual({ 'eip155:*': [devnet.evm.accounts.facilitator.address] })
  })
})

describe('each verify rule refuses with its own reason', () => {
  type Case = {
    name: string
    reason: string
    message: RegExp
    build: () => Promise<{
      payment: Awaited<ReturnType<typeof signedPayment>>
      requirements: ReturnType<typeof devnetRequirements>
    }>
  }
  const now = () => Math.floor(Date.now() / 1000)
  const cases: Case[] = [
    {
      name: 'scheme other than exact',
      reason: 'invalid_exact_evm_scheme',
      message: /scheme must be "exact".*"upto"/,
      build: async () => {
        const requirements = devnetRequirements(devnet)
        return {
          requirements,
          payment: await signedPayment(payer(), requirements, { accepted: { scheme: 'upto' } }),
        }
      },
    },
    {
      name: 'payment for another network',
      reason: 'invalid_exact_evm_network_mismatch',
      message: /eip155:8453 but the requirements are for eip155:31337/,
      build: async () => {
        const requirements = devnetRequirements(devnet)
        return {
          requirements,
          payment: await signedPayment(payer(), requirements, { accepted: { network: 'eip155:8453' } }),
        }
      },
    },
    {
      name: 'payment for another asset',
      reason: 'invalid_exact_evm_asset_mismatch',
      message: /asset 0x0000000000000000000000000000000000000001 but the requirements ask for/,
      build: async () => {
        const requirements = devnetRequirements(devnet)
        const accepted = { asset: '0x0000000000000000000000000000000000000001' }
        return { requirements, payment: await signedPayment(payer(), requirements, { accepted }) }
      },
    },
    {
      name: 'requirements without an EIP-712 domain',
      reason: 'invalid_exact_evm_missing_eip712_domain',
      message: /extra must carry the token's EIP-712 domain/,
      build: async () => {
        const signed = devnetRequirements(devnet)
        const requirements = devnetRequirements(devnet, { extra: {} })
        return { requirements, payment: await signedPayment(payer(), requirements, { signed }) }
      },
    },
    {
      name: 'a malformed payload',
      reason: 'invalid_payload',
      message: /payload.authorization.value must be an unsigned 256-bit integer/,
      build: async () => {
        const requirements = devnetRequirements(devnet)
        const payment = await signedPayment(payer(), requirements)
        const authorization = { ...(payment.payload.authorization as object), value: 'ten' }
        return { requirements, payment: { ...payment, payload: { ...payment.payload, authorization } } }
      },
    },
    {
      name: 'a recipient other than payTo',
      reason: 'invalid_exact_evm_payload_recipient_mismatch',
      message: /authorization pays 0x[0-9a-fA-F]{40} but the requirements' payTo is/,
      build: async () => {
        const requirements = devnetRequirements(devnet)
        const signed = { ...requirements, payTo: otherAccount(devnet, 1).address }
        return { requirements, payment: await signedPayment(payer(), requirements, { signed }) }
      },
    },
    {
      name: 'an amount higher than required',
      reason: 'invalid_exact_evm_payload_authorization_value_mismatch',
      message: /authorization value 10001 does not equal the required amount 10000/,
      build: async () => {
        const requirements = devnetRequirements(devnet)
        return {
          requirements,
          payment: await signedPayment(payer(), requirements, {
            signed: { ...requirements, amount: '10001' },
          }),
        }
      },
    },
    {
      name: 'an amount lower than required',
      reason: 'invalid_exact_evm_payload_authorization_value_mismatch',
      message: /authorization value 9999 does not equal the required amount 10000/,
      build: async () => {
        const requirements = devnetRequirements(devnet)
        return {
          requirements,
          payment: await signedPayment(payer(), requirements, {
            signed: { ...requirements, amount: '9999' },
          }),
        }
      },
    },
    {
      name: 'a validBefore within the block-time buffer',
      reason: 'invalid_exact_evm_payload_authorization_valid_before',
      message: /expected validBefore >= \d+ \(now \+ 6 s\)/,
      build: async () => {
        const requirements = devnetRequirements(devnet)
        return {
          requirements,
          payment: await signedPayment(payer(), requirements, {
            signed: { ...requirements, maxTimeoutSeconds: 3 },
          }),
        }
      },
    },
    {
      name: 'an expired authorization',
      reason: 'invalid_exact_evm_payload_authorization_valid_before',
      message: /authorization expires at/,
      build: async () => {
        const requirements = devnetRequirements(devnet)
        return { requirements, payment: await signedPayment(payer(), requirements, { now: now() - 1000 }) }
      },
    },
    {
      name: 'a validAfter in the future',
      reason: 'invalid_exact_evm_payload_authorization_valid_after',
      message: /valid only after \d+, expected validAfter <= now/,
      build: async () => {
        const requirements = devnetRequirements(devnet)
        return {
          requirements,
          payment: await signedPayment(payer(), requirements, { validAfterSkewSeconds: -120 }),
        }
      },
    },
    {
      name: 'a garbage signature',
      reason: 'invalid_exact_evm_payload_signature',
      message: /does not recover to authorization.from/,
      build: async () => {
        const requirements = devnetRequirements(devnet)
        const payment = await signedPayment(payer(), requirements)
        return {
          requirements,
          payment: { ...payment, payload: { ...payment.payload, signature: `0x${'12'.repeat(64)}1b` } },
        }
      },
    },
    {
      name: 'a signature by another key',
      reason: 'invalid_exact_evm_payload_signature',
      message: /does not recover to authorization.from/,
      build: async () => {
        const requirements = devnetRequirements(devnet)
        const other = privateKeyToAccount(otherAccount(devnet, 2).privateKey)
        return { requirements, payment: await signedPayment(other, requirements, { from: payer().address }) }
      },
    },
    {
      name: 'a domain name the token does not have',
      reason: 'invalid_exact_evm_token_name_mismatch',
      message: /extra.name is "Wrong Coin" but token 0x[0-9a-fA-F]{40} has name\(\) "USD Coin"/,
      build: async () => {
        const requirements = devnetRequirements(devnet, { extra: { name: 'Wrong Coin', version: '2' } })
        return { requirements, payment: await signedPayment(payer(), requirements) }
      },
    },
    {
      name: 'a domain version the token does not have',
      reason: 'invalid_exact_evm_token_version_mismatch',
      message: /extra.version is "1" but token 0x[0-9a-fA-F]{40} has version\(\) "2"/,
      build: async () => {
        const requirements = devnetRequirements(devnet, { extra: { name: 'USD Coin', version: '1' } })
        return { requirements, payment: await signedPayment(payer(), requirements) }
      },
    },
    {
      name: 'a payer without enough tokens',
      reason: 'invalid_exact_evm_insufficient_balance',
      message: /holds 0 of 0x[0-9a-fA-F]{40}, the payment needs 10000/,
      build: async () => {
        const requirements = devnetRequirements(devnet)
        return {
          requirements,
          payment: await signedPayment(privateKeyToAccount(generatePrivateKey()), requirements),
        }
      },
    },
    {
      name: 'an asset without EIP-3009',
      reason: 'invalid_exact_evm_eip3009_not_supported',
      message: /does not implement EIP-3009/,
      build: async () => {
        const requirements = devnetRequirements(devnet, { asset: devnet.evm.multicall3 })
        return { requirements, payment: await signedPayment(payer(), requirements) }
      },
    },
    {
      name: 'an undeployed smart wallet',
      reason: 'invalid_exact_evm_payload_undeployed_smart_wallet',
      message: /undeployed \(ERC-6492\) smart wallet/,
      build: async () => {
        const requirements = devnetRequirements(devnet)
        const counterfactual = privateKeyToAccount(generatePrivateKey()).address
        const payment = await signedPayment(payer(), requirements, { from: counterfactual })
        const inner = payment.payload.signature as `0x${string}`
        const wrapped = concat([
          encodeAbiParameters(
            [{ type: 'address' }, { type: 'bytes' }, { type: 'bytes' }],
            ['0x0000000000000000000000000000000000000abc', '0x1234', inner],
          ),
          `0x${'6492'.repeat(16)}`,
        ])
        return { requirements, payment: { ...payment, payload: { ...payment.payload, signature: wrapped } } }
      },
    },
    {
      name: 'a network this facilitator does not serve',
      reason: 'invalid_network',
      message: /does not serve eip155:8453 for exact; it serves eip155:31337/,
      build: async () => {
        const requirements = devnetRequirements(devnet, { network: 'eip155:8453' })
        return { requirements, payment: await signedPayment(payer(), requirements) }
      },
    },
  ]

  test.each(cases.map((entry) => [entry.name, entry] as const))('%s', async (_name, entry) => {
    const { payment, requirements } = await entry.build()
    const result = await facilitator.verify(payment, requirements)
    expect(result.isValid).toBe(false)
    expect(result.invalidReason).toBe(entry.reason)
    expect(result.invalidMessage).toMatch(entry.message)
    expect(result.invalidMessage).not.toMatch(/\n|\bat .*\(.*:\d+:\d+\)/)
  })

  test('every reason a rule returns is in the registry', () => {
    for (const entry of cases) expect(isErrorReason(entry.reason)).toBe(true)
    expect([...SPEC_REASONS, ...EXACT_EVM_REASONS]).toContain(
      'invalid_exact_evm_payload_undeployed_smart_wallet',
    )
  })
})
