import {
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
  numberToHex,
  parseEventLogs,
  parseSignature,
  serializeSignature,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  type Authorization,
  authorization,
  CANCEL_AUTHORIZATION_TYPES,
  nowInSeconds,
  PERMIT_TYPES,
  randomNonce,
  signTransferAuthorization,
  tokenDomain,
} from '../../test/authorizations.js'
import { devnetChain } from '../devnet-chain.js'
import type { Devnet, DevnetAccount } from '../devnet-description.js'
import { startDevnet } from '../start-devnet.js'
import { tokenBalance } from '../token-balance.js'
import { usdcLikeTokenAbi } from './usdc-like-token.js'

// secp256k1 group order: (r, n - s, flipped v) is the malleable twin of a valid signature.
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n

let devnet: Devnet<'evm'>
let payer: DevnetAccount
let merchant: DevnetAccount
let facilitator: DevnetAccount

beforeAll(async () => {
  devnet = await startDevnet({ chains: ['evm'] })
  ;({ payer, merchant, facilitator } = devnet.evm.accounts)
})
afterAll(() => devnet?.stop())

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

function argsOf(message: Authorization) {
  return [
    message.from,
    message.to,
    message.value,
    message.validAfter,
    message.validBefore,
    message.nonce,
  ] as const
}

/** Submits transferWithAuthorization as the facilitator, in the (v, r, s) or the (bytes signature) form. */
async function submitTransfer(
  message: Authorization,
  signature: Hex,
  form: 'vrs' | 'bytes',
  sender = facilitator,
) {
  const token = {
    address: devnet.evm.token.address,
    abi: usdcLikeTokenAbi,
    functionName: 'transferWithAuthorization',
  } as const
  if (form === 'bytes')
    return walletFor(sender).writeContract({ ...token, args: [...argsOf(message), signature] })
  const { v, r, s } = parseSignature(signature)
  return walletFor(sender).writeContract({ ...token, args: [...argsOf(message), Number(v), r, s] })
}

describe.each(['vrs', 'bytes'] as const)('transferWithAuthorization, %s form', (form) => {
  test('moves the value from payer to merchant and marks the nonce used', async () => {
    const message = authorization({ from: payer.address, to: merchant.address, value: 1_250_000n })
    const signature = await signTransferAuthorization(devnet, payer.privateKey, message)
    const [payerBefore, merchantBefore] = [
      await tokenBalance(devnet, payer.address),
      await tokenBalance(devnet, merchant.address),
    ]

    const receipt = await mined(await submitTransfer(message, signature, form))

    expect(await tokenBalance(devnet, payer.address)).toBe(payerBefore - 1_250_000n)
    expect(await tokenBalance(devnet, merchant.address)).toBe(merchantBefore + 1_250_000n)
    const events = parseEventLogs({ abi: usdcLikeTokenAbi, logs: receipt.logs })
    expect(events.map((event) => event.eventName)).toEqual(['AuthorizationUsed', 'Transfer'])
    expect(events[0]?.args).toEqual({ authorizer: payer.address, nonce: message.nonce })
    expect(
      await publicClient().readContract({
        address: devnet.evm.token.address,
        abi: usdcLikeTokenAbi,
        functionName: 'authorizationState',
        args: [payer.address, message.nonce],
      }),
    ).toBe(true)
  })

  test('rejects a replayed nonce', async () => {
    const message = authorization({ from: payer.address, to: merchant.address, value: 1n })
    const signature = await signTransferAuthorization(devnet, payer.privateKey, message)
    await mined(await submitTransfer(message, signature, form))
    await expect(submitTransfer(message, signature, form)).rejects.toThrow(
      'FiatTokenV2: authorization is used or canceled',
    )
  })

  test('rejects an expired authorization', async () => {
    const now = nowInSeconds()
    const message = authorization({
      from: payer.address,
      to: merchant.address,
      value: 1n,
      validAfter: now - 3600n,
      validBefore: now - 60n,
    })
    const signature = await signTransferAuthorization(devnet, payer.privateKey, message)
    await expect(submitTransfer(message, signature, form)).rejects.toThrow(
      'FiatTokenV2: authorization is expired',
    )
  })

  test('rejects an authorization that is not yet valid', async () => {
    const now = nowInSeconds()
    const message = authorization({
      from: payer.address,
      to: merchant.address,
      value: 1n,
      validAfter: now + 3600n,
      validBefore: now + 7200n,
    })
    const signature = await signTransferAuthorization(devnet, payer.privateKey, message)
    await expect(submitTransfer(message, signature, form)).rejects.toThrow(
      'FiatTokenV2: authorization is not yet valid',
    )
  })

  test('rejects a signature by someone other than `from`', async () => {
    const message = authorization({ from: payer.address, to: merchant.address, value: 1n })
    const signature = await signTransferAuthorization(devnet, merchant.privateKey, message)
    await expect(submitTransfer(message, signature, form)).rejects.toThrow('FiatTokenV2: invalid signature')
  })

  test('rejects a signature over different terms', async () => {
    const message = authorization({ from: payer.address, to: merchant.address, value: 1n })
    const signature = await signTransferAuthorization(devnet, payer.privateKey, message)
    await expect(submitTransfer({ ...message, value: 2n }, signature, form)).rejects.toThrow(
      'FiatTokenV2: invalid signature',
    )
  })

  test('rejects a malleable high-s signature', async () => {
    const message = authorization({ from: payer.address, to: merchant.address, value: 1n })
    const { r, s, yParity } = parseSignature(
      await signTransferAuthorization(devnet, payer.privateKey, message),
    )
    const highS = serializeSignature({
      r,
      s: numberToHex(SECP256K1_N - BigInt(s), { size: 32 }),
      yParity: 1 - yParity,
    })
    await expect(submitTransfer(message, highS, form)).rejects.toThrow(
      "ECRecover: invalid signature 's' value",
    )
  })
})

describe('transferWithAuthorization, bytes form', () => {
  test('rejects a signature that is not 65 bytes', async () => {
    const message = authorization({ from: payer.address, to: merchant.address, value: 1n })
    const signature = await signTransferAuthorization(devnet, payer.privateKey, message)
    await expect(submitTransfer(message, `${signature}00`, 'bytes')).rejects.toThrow(
      'ECRecover: invalid signature length',
    )
  })

  test('rejects a v other than 27 or 28', async () => {
    const message = authorization({ from: payer.address, to: merchant.address, value: 1n })
    const signature = await signTransferAuthorization(devnet, payer.privateKey, message)
    await expect(submitTransfer(message, `${signature.slice(0, -2)}1d` as Hex, 'bytes')).rejects.toThrow(
      "ECRecover: invalid signature 'v' value",
    )
  })

  test('rejects a value above the balance with a readable reason', async () => {
    const message = authorization({ from: merchant.address, to: payer.address, value: 10n ** 30n })
    const signature = await signTransferAuthorization(devnet, merchant.privateKey, message)
    await expect(submitTransfer(message, signature, 'bytes')).rejects.toThrow(
      'ERC20: transfer amount exceeds balance',
    )
  })
})

describe('receiveWithAuthorization', () => {
  test('lets the payee collect, in both forms, and refuses anyone else', async () => {
    const token = {
      address: devnet.evm.token.address,
      abi: usdcLikeTokenAbi,
      functionName: 'receiveWithAuthorization',
    } as const
    const first = authorization({ from: payer.address, to: merchant.address, value: 300n })
    const firstSignature = await signTransferAuthorization(
      devnet,
      payer.privateKey,
      first,
      'ReceiveWithAuthorization',
    )
    await expect(
      walletFor(facilitator).writeContract({ ...token, args: [...argsOf(first), firstSignature] }),
    ).rejects.toThrow('FiatTokenV2: caller must be the payee')

    const before = await tokenBalance(devnet, merchant.address)
    await mined(
      await walletFor(merchant).writeContract({ ...token, args: [...argsOf(first), firstSignature] }),
    )
    const second = authorization({ from: payer.address, to: merchant.address, value: 200n })
    const { v, r, s } = parseSignature(
      await signTransferAuthorization(devnet, payer.privateKey, second, 'ReceiveWithAuthorization'),
    )
    await mined(
      await walletFor(merchant).writeContract({ ...token, args: [...argsOf(second), Number(v), r, s] }),
    )
    expect(await tokenBalance(devnet, merchant.address)).toBe(before + 500n)
  })

  test('does not accept a TransferWithAuthorization signature', async () => {
    const message = authorization({ from: payer.address, to: merchant.address, value: 1n })
    const signature = await signTransferAuthorization(
      devnet,
      payer.privateKey,
      message,
      'TransferWithAuthorization',
    )
    await expect(
      walletFor(merchant).writeContract({
        address: devnet.evm.token.address,
        abi: usdcLikeTokenAbi,
        functionName: 'receiveWithAuthorization',
        args: [...argsOf(message), signature],
      }),
    ).rejects.toThrow('FiatTokenV2: invalid signature')
  })
})

describe('cancelAuthorization', () => {
  test('cancels an unused nonce so a later transfer with it reverts', async () => {
    const message = authorization({ from: payer.address, to: merchant.address, value: 1n })
    const transferSignature = await signTransferAuthorization(devnet, payer.privateKey, message)
    const cancelSignature = await privateKeyToAccount(payer.privateKey).signTypedData({
      domain: tokenDomain(devnet),
      types: CANCEL_AUTHORIZATION_TYPES,
      primaryType: 'CancelAuthorization',
      message: { authorizer: payer.address, nonce: message.nonce },
    })
    const receipt = await mined(
      await walletFor(facilitator).writeContract({
        address: devnet.evm.token.address,
        abi: usdcLikeTokenAbi,
        functionName: 'cancelAuthorization',
        args: [payer.address, message.nonce, cancelSignature],
      }),
    )
    const events = parseEventLogs({
      abi: usdcLikeTokenAbi,
      logs: receipt.logs,
      eventName: 'AuthorizationCanceled',
    })
    expect(events.map((event) => event.args)).toEqual([{ authorizer: payer.address, nonce: message.nonce }])
    expect(
      await publicClient().readContract({
        address: devnet.evm.token.address,
        abi: usdcLikeTokenAbi,
        functionName: 'authorizationState',
        args: [payer.address, message.nonce],
      }),
    ).toBe(true)
    await expect(submitTransfer(message, transferSignature, 'bytes')).rejects.toThrow(
      'FiatTokenV2: authorization is used or canceled',
    )
  })

  test('rejects a cancellation signed by someone else', async () => {
    const nonce = randomNonce()
    const { v, r, s } = parseSignature(
      await privateKeyToAccount(merchant.privateKey).signTypedData({
        domain: tokenDomain(devnet),
        types: CANCEL_AUTHORIZATION_TYPES,
        primaryType: 'CancelAuthorization',
        message: { authorizer: payer.address, nonce },
      }),
    )
    await expect(
      walletFor(facilitator).writeContract({
        address: devnet.evm.token.address,
        abi: usdcLikeTokenAbi,
        functionName: 'cancelAuthorization',
        args: [payer.address, nonce, Number(v), r, s],
      }),
    ).rejects.toThrow('FiatTokenV2: invalid signature')
  })
})

describe('permit (EIP-2612)', () => {
  async function signPermit(owner: DevnetAccount, spender: `0x${string}`, value: bigint, deadline: bigint) {
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
      message: { owner: owner.address, spender, value, nonce, deadline },
    })
    return { nonce, signature }
  }

  test('sets the allowance from a signature and bumps the nonce', async () => {
    const deadline = nowInSeconds() + 600n
    const { nonce, signature } = await signPermit(payer, facilitator.address, 7_000n, deadline)
    const { v, r, s } = parseSignature(signature)
    await mined(
      await walletFor(facilitator).writeContract({
        address: devnet.evm.token.address,
        abi: usdcLikeTokenAbi,
        functionName: 'permit',
        args: [payer.address, facilitator.address, 7_000n, deadline, Number(v), r, s],
      }),
    )
    const read = { address: devnet.evm.token.address, abi: usdcLikeTokenAbi } as const
    expect(
      await publicClient().readContract({
        ...read,
        functionName: 'allowance',
        args: [payer.address, facilitator.address],
      }),
    ).toBe(7_000n)
    expect(
      await publicClient().readContract({ ...read, functionName: 'nonces', args: [payer.address] }),
    ).toBe(nonce + 1n)

    const before = await tokenBalance(devnet, merchant.address)
    await mined(
      await walletFor(facilitator).writeContract({
        ...read,
        functionName: 'transferFrom',
        args: [payer.address, merchant.address, 7_000n],
      }),
    )
    expect(await tokenBalance(devnet, merchant.address)).toBe(before + 7_000n)
  })

  test('rejects an expired permit and one signed by someone else', async () => {
    const expired = nowInSeconds() - 60n
    const { signature: expiredSignature } = await signPermit(payer, facilitator.address, 1n, expired)
    const permit = {
      address: devnet.evm.token.address,
      abi: usdcLikeTokenAbi,
      functionName: 'permit',
    } as const
    await expect(
      walletFor(facilitator).writeContract({
        ...permit,
        args: [payer.address, facilitator.address, 1n, expired, expiredSignature],
      }),
    ).rejects.toThrow('FiatTokenV2: permit is expired')

    const deadline = nowInSeconds() + 600n
    const { signature: wrongSignature } = await signPermit(merchant, facilitator.address, 1n, deadline)
    await expect(
      walletFor(facilitator).writeContract({
        ...permit,
        args: [payer.address, facilitator.address, 1n, deadline, wrongSignature],
      }),
    ).rejects.toThrow('EIP2612: invalid signature')
  })
})

describe('mint', () => {
  test('is refused to anyone but the deployer', async () => {
    await expect(
      walletFor(payer).writeContract({
        address: devnet.evm.token.address,
        abi: usdcLikeTokenAbi,
        functionName: 'mint',
        args: [payer.address, 1n],
      }),
    ).rejects.toThrow('FiatToken: caller is not a minter')
  })
})
