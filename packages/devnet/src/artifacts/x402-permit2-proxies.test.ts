import {
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
  keccak256,
  parseEventLogs,
  parseSignature,
  toHex,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { PERMIT_TYPES, tokenDomain } from '../../test/authorizations.js'
import {
  chainNow,
  EXACT_WITNESS_TYPE_STRING,
  type Permit,
  permitFor,
  REVERT_ABI,
  revertOf,
  signExactPermit2,
  signUptoPermit2,
  UPTO_WITNESS_TYPE_STRING,
} from '../../test/permit2.js'
import {
  PERMIT2_ADDRESS,
  X402_EXACT_PERMIT2_PROXY_ADDRESS,
  X402_UPTO_PERMIT2_PROXY_ADDRESS,
} from '../constants.js'
import { devnetChain } from '../devnet-chain.js'
import type { Devnet, DevnetAccount } from '../devnet-description.js'
import { startDevnet } from '../start-devnet.js'
import { tokenBalance } from '../token-balance.js'
import { usdcLikeTokenAbi } from './usdc-like-token.js'
import {
  x402ExactPermit2ProxyAbi,
  x402ExactPermit2ProxyDeployedBytecode,
} from './x402-exact-permit2-proxy.js'
import { x402UptoPermit2ProxyAbi, x402UptoPermit2ProxyDeployedBytecode } from './x402-upto-permit2-proxy.js'

let devnet: Devnet<'evm'>
let payer: DevnetAccount
let merchant: DevnetAccount
let facilitator: DevnetAccount
let stranger: DevnetAccount

beforeAll(async () => {
  devnet = await startDevnet({ chains: ['evm'] })
  ;({ payer, merchant, facilitator } = devnet.evm.accounts)
  stranger = devnet.evm.accounts.others[0] as DevnetAccount
})
afterAll(() => devnet?.stop())

const EXACT_ABI = [...x402ExactPermit2ProxyAbi, ...REVERT_ABI]
const UPTO_ABI = [...x402UptoPermit2ProxyAbi, ...REVERT_ABI]

function publicClient() {
  return createPublicClient({ chain: devnetChain(devnet), transport: http(devnet.evm.rpcUrl) })
}

function walletFor(account: DevnetAccount) {
  return createWalletClient({
    account: privateKeyToAccount(account.privateKey),
    chain: devnetChain(devnet),
    transport: http(devnet.evm.rpcUrl),
  })
}

async function mined(hash: Hex) {
  const receipt = await publicClient().waitForTransactionReceipt({ hash, pollingInterval: 50 })
  expect(receipt.status).toBe('success')
  return receipt
}

async function permitInAnHour(amount: bigint): Promise<Permit> {
  return permitFor(devnet, amount, (await chainNow(publicClient())) + 3600n)
}

async function balances<const T extends readonly `0x${string}`[]>(...accounts: T) {
  const values = await Promise.all(accounts.map((account) => tokenBalance(devnet, account)))
  return values as { [K in keyof T]: bigint }
}

function allowanceForPermit2(owner: `0x${string}`) {
  return publicClient().readContract({
    address: devnet.evm.token.address,
    abi: usdcLikeTokenAbi,
    functionName: 'allowance',
    args: [owner, PERMIT2_ADDRESS],
  })
}

/** The owner's EIP-2612 permit for Permit2, as settleWithPermit takes it. */
async function signPermit2612(owner: DevnetAccount, value: bigint, deadline: bigint) {
  const nonce = await publicClient().readContract({
    address: devnet.evm.token.address,
    abi: usdcLikeTokenAbi,
    functionName: 'nonces',
    args: [owner.address],
  })
  const signature = await privateKeyToAccount(owner.privateKey).signTypedData({
    domain: tokenDomain(devnet),
    types: PERMIT_TYPES,
    primaryType: 'Permit',
    message: { owner: owner.address, spender: PERMIT2_ADDRESS, value, nonce, deadline },
  })
  const { r, s, v } = parseSignature(signature)
  return { value, deadline, r, s, v: Number(v) }
}

/** Takes the account's Permit2 allowance away, as for a payer who never approved Permit2. */
async function revokePermit2(account: DevnetAccount) {
  await mined(
    await walletFor(account).writeContract({
      address: devnet.evm.token.address,
      abi: usdcLikeTokenAbi,
      functionName: 'approve',
      args: [PERMIT2_ADDRESS, 0n],
    }),
  )
  expect(await allowanceForPermit2(account.address)).toBe(0n)
}

describe('the x402 Permit2 proxies on the devnet', () => {
  test('are at their canonical addresses with the spec witness types and Permit2', async () => {
    const client = publicClient()
    expect(devnet.evm.x402ExactPermit2Proxy).toBe('0x402085c248EeA27D92E8b30b2C58ed07f9E20001')
    expect(devnet.evm.x402UptoPermit2Proxy).toBe('0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002')
    expect(await client.getCode({ address: X402_EXACT_PERMIT2_PROXY_ADDRESS })).toBe(
      x402ExactPermit2ProxyDeployedBytecode,
    )
    expect(await client.getCode({ address: X402_UPTO_PERMIT2_PROXY_ADDRESS })).toBe(
      x402UptoPermit2ProxyDeployedBytecode,
    )
    const read = (
      address: `0x${string}`,
      functionName: 'PERMIT2' | 'WITNESS_TYPE_STRING' | 'WITNESS_TYPEHASH',
    ) => client.readContract({ address, abi: x402ExactPermit2ProxyAbi, functionName })
    expect(await read(X402_EXACT_PERMIT2_PROXY_ADDRESS, 'PERMIT2')).toBe(PERMIT2_ADDRESS)
    expect(await read(X402_UPTO_PERMIT2_PROXY_ADDRESS, 'PERMIT2')).toBe(PERMIT2_ADDRESS)
    expect(await read(X402_EXACT_PERMIT2_PROXY_ADDRESS, 'WITNESS_TYPE_STRING')).toBe(
      EXACT_WITNESS_TYPE_STRING,
    )
    expect(await read(X402_UPTO_PERMIT2_PROXY_ADDRESS, 'WITNESS_TYPE_STRING')).toBe(UPTO_WITNESS_TYPE_STRING)
    expect(await read(X402_EXACT_PERMIT2_PROXY_ADDRESS, 'WITNESS_TYPEHASH')).toBe(
      keccak256(toHex('Witness(address to,uint256 validAfter)')),
    )
    expect(await read(X402_UPTO_PERMIT2_PROXY_ADDRESS, 'WITNESS_TYPEHASH')).toBe(
      keccak256(toHex('Witness(address to,address facilitator,uint256 validAfter)')),
    )
  })

  describe('exact: settle(permit, owner, witness, signature)', () => {
    function simulateSettle(
      caller: DevnetAccount,
      permit: Permit,
      witness: { to: `0x${string}`; validAfter: bigint },
      signature: Hex,
    ) {
      return publicClient().simulateContract({
        account: caller.address,
        address: X402_EXACT_PERMIT2_PROXY_ADDRESS,
        abi: EXACT_ABI,
        functionName: 'settle',
        args: [permit, payer.address, witness, signature],
      })
    }

    test('moves exactly the permitted amount to witness.to, once', async () => {
      const permit = await permitInAnHour(10_000n)
      const witness = { to: merchant.address, validAfter: (await chainNow(publicClient())) - 60n }
      const signature = await signExactPermit2(devnet, payer, permit, witness)
      const before = await balances(payer.address, merchant.address, facilitator.address)
      const receipt = await mined(
        await walletFor(facilitator).writeContract({
          address: X402_EXACT_PERMIT2_PROXY_ADDRESS,
          abi: x402ExactPermit2ProxyAbi,
          functionName: 'settle',
          args: [permit, payer.address, witness, signature],
        }),
      )
      expect(await balances(payer.address, merchant.address, facilitator.address)).toEqual([
        before[0] - 10_000n,
        before[1] + 10_000n,
        before[2],
      ])
      expect(
        parseEventLogs({ abi: x402ExactPermit2ProxyAbi, logs: receipt.logs }).map((log) => log.eventName),
      ).toEqual(['Settled'])
      expect(await revertOf(() => simulateSettle(facilitator, permit, witness, signature))).toBe(
        'InvalidNonce',
      )
    })

    test('refuses an expired deadline, a payment too early, a changed witness or amount, a bad signature', async () => {
      const now = await chainNow(publicClient())
      const witness = { to: merchant.address, validAfter: 0n }

      const expired = permitFor(devnet, 10n, now - 1n)
      expect(
        await revertOf(async () =>
          simulateSettle(
            facilitator,
            expired,
            witness,
            await signExactPermit2(devnet, payer, expired, witness),
          ),
        ),
      ).toBe('SignatureExpired')

      const early = { to: merchant.address, validAfter: now + 3600n }
      const permit = await permitInAnHour(10n)
      expect(
        await revertOf(async () =>
          simulateSettle(facilitator, permit, early, await signExactPermit2(devnet, payer, permit, early)),
        ),
      ).toBe('PaymentTooEarly')

      const signature = await signExactPermit2(devnet, payer, permit, witness)
      // The facilitator cannot redirect the payment nor change the amount.
      expect(
        await revertOf(() =>
          simulateSettle(facilitator, permit, { ...witness, to: facilitator.address }, signature),
        ),
      ).toBe('InvalidSigner')
      expect(
        await revertOf(() =>
          simulateSettle(
            facilitator,
            { ...permit, permitted: { ...permit.permitted, amount: 11n } },
            witness,
            signature,
          ),
        ),
      ).toBe('InvalidSigner')
      // Signed for Permit2 directly (spender = the payer's own choice), not for the proxy.
      const forAnotherSpender = await signExactPermit2(devnet, payer, permit, witness, facilitator.address)
      expect(await revertOf(() => simulateSettle(facilitator, permit, witness, forAnotherSpender))).toBe(
        'InvalidSigner',
      )
      expect(await revertOf(() => simulateSettle(facilitator, permit, witness, '0x1234'))).toBe(
        'InvalidSignatureLength',
      )
      const zero = { ...permit, permitted: { ...permit.permitted, amount: 0n } }
      expect(
        await revertOf(async () =>
          simulateSettle(facilitator, zero, witness, await signExactPermit2(devnet, payer, zero, witness)),
        ),
      ).toBe('InvalidAmount')
      // Nothing above spent the nonce.
      await simulateSettle(facilitator, permit, witness, signature)
    })

    test('anyone may submit it (no facilitator in the exact witness); the payee gets exactly the amount', async () => {
      const permit = await permitInAnHour(42n)
      const witness = { to: merchant.address, validAfter: 0n }
      const signature = await signExactPermit2(devnet, payer, permit, witness)
      const before = await balances(payer.address, merchant.address)
      await mined(
        await walletFor(stranger).writeContract({
          address: X402_EXACT_PERMIT2_PROXY_ADDRESS,
          abi: x402ExactPermit2ProxyAbi,
          functionName: 'settle',
          args: [permit, payer.address, witness, signature],
        }),
      )
      expect(await balances(payer.address, merchant.address)).toEqual([before[0] - 42n, before[1] + 42n])
    })
  })

  describe('upto: settle(permit, amount, owner, witness, signature)', () => {
    function simulateSettle(
      caller: DevnetAccount,
      permit: Permit,
      amount: bigint,
      witness: { to: `0x${string}`; facilitator: `0x${string}`; validAfter: bigint },
      signature: Hex,
    ) {
      return publicClient().simulateContract({
        account: caller.address,
        address: X402_UPTO_PERMIT2_PROXY_ADDRESS,
        abi: UPTO_ABI,
        functionName: 'settle',
        args: [permit, amount, payer.address, witness, signature],
      })
    }

    test('the named facilitator settles any amount up to the maximum, once', async () => {
      const permit = await permitInAnHour(5_000_000n)
      const witness = { to: merchant.address, facilitator: facilitator.address, validAfter: 0n }
      const signature = await signUptoPermit2(devnet, payer, permit, witness)
      const before = await balances(payer.address, merchant.address)
      const receipt = await mined(
        await walletFor(facilitator).writeContract({
          address: X402_UPTO_PERMIT2_PROXY_ADDRESS,
          abi: x402UptoPermit2ProxyAbi,
          functionName: 'settle',
          args: [permit, 2_350_000n, payer.address, witness, signature],
        }),
      )
      expect(await balances(payer.address, merchant.address)).toEqual([
        before[0] - 2_350_000n,
        before[1] + 2_350_000n,
      ])
      expect(
        parseEventLogs({ abi: x402UptoPermit2ProxyAbi, logs: receipt.logs }).map((log) => log.eventName),
      ).toEqual(['Settled'])
      expect(await revertOf(() => simulateSettle(facilitator, permit, 1n, witness, signature))).toBe(
        'InvalidNonce',
      )
    })

    test('settles the full maximum, and zero', async () => {
      const witness = { to: merchant.address, facilitator: facilitator.address, validAfter: 0n }
      for (const [max, amount] of [
        [900n, 900n],
        [900n, 0n],
      ] as const) {
        const permit = await permitInAnHour(max)
        const signature = await signUptoPermit2(devnet, payer, permit, witness)
        const before = await balances(payer.address, merchant.address)
        await mined(
          await walletFor(facilitator).writeContract({
            address: X402_UPTO_PERMIT2_PROXY_ADDRESS,
            abi: x402UptoPermit2ProxyAbi,
            functionName: 'settle',
            args: [permit, amount, payer.address, witness, signature],
          }),
        )
        expect(await balances(payer.address, merchant.address)).toEqual([
          before[0] - amount,
          before[1] + amount,
        ])
      }
    })

    test('refuses another caller, an amount above the maximum, a changed witness, an expired or bad signature', async () => {
      const now = await chainNow(publicClient())
      const witness = { to: merchant.address, facilitator: facilitator.address, validAfter: 0n }
      const permit = await permitInAnHour(1_000n)
      const signature = await signUptoPermit2(devnet, payer, permit, witness)

      expect(await revertOf(() => simulateSettle(stranger, permit, 1_000n, witness, signature))).toBe(
        'UnauthorizedFacilitator',
      )
      expect(await revertOf(() => simulateSettle(facilitator, permit, 1_001n, witness, signature))).toBe(
        'AmountExceedsPermitted',
      )
      // The stranger names itself as the facilitator: the signature does not cover that witness.
      expect(
        await revertOf(() =>
          simulateSettle(stranger, permit, 1_000n, { ...witness, facilitator: stranger.address }, signature),
        ),
      ).toBe('InvalidSigner')
      expect(
        await revertOf(() =>
          simulateSettle(facilitator, permit, 1_000n, { ...witness, to: stranger.address }, signature),
        ),
      ).toBe('InvalidSigner')
      const otherKey = await signUptoPermit2(devnet, stranger, permit, witness)
      expect(await revertOf(() => simulateSettle(facilitator, permit, 1_000n, witness, otherKey))).toBe(
        'InvalidSigner',
      )

      const expired = permitFor(devnet, 1_000n, now - 1n)
      expect(
        await revertOf(async () =>
          simulateSettle(
            facilitator,
            expired,
            1n,
            witness,
            await signUptoPermit2(devnet, payer, expired, witness),
          ),
        ),
      ).toBe('SignatureExpired')
      const early = { ...witness, validAfter: now + 3600n }
      expect(
        await revertOf(async () =>
          simulateSettle(facilitator, permit, 1n, early, await signUptoPermit2(devnet, payer, permit, early)),
        ),
      ).toBe('PaymentTooEarly')
      // An exact-scheme signature (other witness type) does not settle through the upto proxy.
      const exactSignature = await signExactPermit2(
        devnet,
        payer,
        permit,
        witness,
        X402_UPTO_PERMIT2_PROXY_ADDRESS,
      )
      expect(await revertOf(() => simulateSettle(facilitator, permit, 1n, witness, exactSignature))).toBe(
        'InvalidSigner',
      )
      await simulateSettle(facilitator, permit, 1_000n, witness, signature)
    })
  })

  describe('settleWithPermit: the EIP-2612 permit for Permit2 first, for a payer without the approval', () => {
    test('exact: without the allowance settle fails; settleWithPermit approves Permit2 and pays', async () => {
      const owner = devnet.evm.accounts.others[2] as DevnetAccount
      await revokePermit2(owner)
      const permit = await permitInAnHour(10_000n)
      const witness = { to: merchant.address, validAfter: 0n }
      const signature = await signExactPermit2(devnet, owner, permit, witness)
      expect(
        await revertOf(() =>
          publicClient().simulateContract({
            account: facilitator.address,
            address: X402_EXACT_PERMIT2_PROXY_ADDRESS,
            abi: EXACT_ABI,
            functionName: 'settle',
            args: [permit, owner.address, witness, signature],
          }),
        ),
      ).toBe('ERC20: transfer amount exceeds allowance')

      const permit2612 = await signPermit2612(owner, 10_000n, permit.deadline)
      expect(
        await revertOf(async () =>
          publicClient().simulateContract({
            account: facilitator.address,
            address: X402_EXACT_PERMIT2_PROXY_ADDRESS,
            abi: EXACT_ABI,
            functionName: 'settleWithPermit',
            args: [
              await signPermit2612(owner, 10_001n, permit.deadline),
              permit,
              owner.address,
              witness,
              signature,
            ],
          }),
        ),
      ).toBe('Permit2612AmountMismatch')

      const before = await balances(owner.address, merchant.address)
      const receipt = await mined(
        await walletFor(facilitator).writeContract({
          address: X402_EXACT_PERMIT2_PROXY_ADDRESS,
          abi: x402ExactPermit2ProxyAbi,
          functionName: 'settleWithPermit',
          args: [permit2612, permit, owner.address, witness, signature],
        }),
      )
      expect(await balances(owner.address, merchant.address)).toEqual([
        before[0] - 10_000n,
        before[1] + 10_000n,
      ])
      expect(
        parseEventLogs({ abi: x402ExactPermit2ProxyAbi, logs: receipt.logs }).map((log) => log.eventName),
      ).toEqual(['SettledWithPermit'])
      // The permit was for exactly the amount, which Permit2 then spent.
      expect(await allowanceForPermit2(owner.address)).toBe(0n)
    })

    test('upto: settles the actual amount after the permit; a permit submitted first by someone else does not block it', async () => {
      const owner = devnet.evm.accounts.others[3] as DevnetAccount
      await revokePermit2(owner)
      const permit = await permitInAnHour(3_000n)
      const witness = { to: merchant.address, facilitator: facilitator.address, validAfter: 0n }
      const signature = await signUptoPermit2(devnet, owner, permit, witness)
      const permit2612 = await signPermit2612(owner, 3_000n, permit.deadline)
      const settleWithPermit = (caller: DevnetAccount) =>
        publicClient().simulateContract({
          account: caller.address,
          address: X402_UPTO_PERMIT2_PROXY_ADDRESS,
          abi: UPTO_ABI,
          functionName: 'settleWithPermit',
          args: [permit2612, permit, 1_200n, owner.address, witness, signature],
        })
      expect(await revertOf(() => settleWithPermit(stranger))).toBe('UnauthorizedFacilitator')

      // Someone who saw the permit submits it to the token first.
      await mined(
        await walletFor(stranger).writeContract({
          address: devnet.evm.token.address,
          abi: usdcLikeTokenAbi,
          functionName: 'permit',
          args: [
            owner.address,
            PERMIT2_ADDRESS,
            permit2612.value,
            permit2612.deadline,
            permit2612.v,
            permit2612.r,
            permit2612.s,
          ],
        }),
      )
      const before = await balances(owner.address, merchant.address)
      const { request } = await settleWithPermit(facilitator)
      await mined(
        await walletFor(facilitator).writeContract({
          ...request,
          account: privateKeyToAccount(facilitator.privateKey),
        }),
      )
      expect(await balances(owner.address, merchant.address)).toEqual([
        before[0] - 1_200n,
        before[1] + 1_200n,
      ])
      expect(await allowanceForPermit2(owner.address)).toBe(3_000n - 1_200n)
    })
  })
})
