import {
  createPublicClient,
  createWalletClient,
  encodeAbiParameters,
  encodeFunctionData,
  type Hex,
  hashStruct,
  http,
  keccak256,
  maxUint256,
  parseEventLogs,
  parseSignature,
  serializeCompactSignature,
  signatureToCompactSignature,
  toHex,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  chainNow,
  EXACT_PERMIT2_TYPES,
  EXACT_WITNESS_TYPE_STRING,
  PERMIT_TRANSFER_FROM_TYPES,
  type Permit,
  permit2Domain,
  permitFor,
  REVERT_ABI,
  revertOf,
  signExactPermit2,
} from '../../test/permit2.js'
import { PERMIT2_ADDRESS } from '../constants.js'
import { deploySmartWallet } from '../deploy-smart-wallet.js'
import { devnetChain } from '../devnet-chain.js'
import type { Devnet, DevnetAccount } from '../devnet-description.js'
import { startDevnet } from '../start-devnet.js'
import { tokenBalance } from '../token-balance.js'
import { permit2Abi, permit2DeployedBytecode } from './permit2.js'
import { smartWalletAbi } from './smart-wallet.js'
import { usdcLikeTokenAbi } from './usdc-like-token.js'

// Permit2 on its own: the tests call it directly, with a dev account as the spender (the proxies'
// tests cover it behind the x402 proxies).

let devnet: Devnet<'evm'>
let payer: DevnetAccount
let merchant: DevnetAccount
let spender: DevnetAccount

beforeAll(async () => {
  devnet = await startDevnet({ chains: ['evm'] })
  ;({ payer, merchant } = devnet.evm.accounts)
  spender = devnet.evm.accounts.others[0] as DevnetAccount
})
afterAll(() => devnet?.stop())

const ABI = [...permit2Abi, ...REVERT_ABI]

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

function witnessHash(witness: { to: `0x${string}`; validAfter: bigint }): Hex {
  return hashStruct({ data: witness, primaryType: 'Witness', types: EXACT_PERMIT2_TYPES })
}

/** permitWitnessTransferFrom's arguments with the exact scheme's witness type. */
function witnessArgs(
  permit: Permit,
  to: `0x${string}`,
  amount: bigint,
  owner: `0x${string}`,
  witness: { to: `0x${string}`; validAfter: bigint },
  signature: Hex,
) {
  return [
    permit,
    { to, requestedAmount: amount },
    owner,
    witnessHash(witness),
    EXACT_WITNESS_TYPE_STRING,
    signature,
  ] as const
}

function simulateWitnessTransfer(caller: DevnetAccount, args: ReturnType<typeof witnessArgs>) {
  return publicClient().simulateContract({
    account: caller.address,
    address: PERMIT2_ADDRESS,
    abi: ABI,
    functionName: 'permitWitnessTransferFrom',
    args,
  })
}

describe('Permit2 on the devnet', () => {
  test('is at the canonical address with the EIP-712 domain {name: "Permit2", chainId, verifyingContract}', async () => {
    expect(devnet.evm.permit2).toBe('0x000000000022D473030F116dDEE9F6B43aC78BA3')
    const client = publicClient()
    expect(await client.getCode({ address: PERMIT2_ADDRESS })).toBe(permit2DeployedBytecode)
    const separator = await client.readContract({
      address: PERMIT2_ADDRESS,
      abi: permit2Abi,
      functionName: 'DOMAIN_SEPARATOR',
    })
    // No version field: EIP712Domain(string name,uint256 chainId,address verifyingContract).
    const expected = keccak256(
      encodeAbiParameters(
        [{ type: 'bytes32' }, { type: 'bytes32' }, { type: 'uint256' }, { type: 'address' }],
        [
          keccak256(toHex('EIP712Domain(string name,uint256 chainId,address verifyingContract)')),
          keccak256(toHex('Permit2')),
          BigInt(devnet.evm.chainId),
          PERMIT2_ADDRESS,
        ],
      ),
    )
    expect(separator).toBe(expected)
    expect(
      await client.readContract({
        address: PERMIT2_ADDRESS,
        abi: permit2Abi,
        functionName: 'PERMIT_TRANSFER_FROM_TYPEHASH',
      }),
    ).toBe(
      keccak256(
        toHex(
          'PermitTransferFrom(TokenPermissions permitted,address spender,uint256 nonce,uint256 deadline)TokenPermissions(address token,uint256 amount)',
        ),
      ),
    )
  })

  test('the payer and the others accounts start with an unlimited allowance for Permit2', async () => {
    const { accounts, token } = devnet.evm
    for (const account of [accounts.payer, ...accounts.others, accounts.merchant]) {
      const allowance = await publicClient().readContract({
        address: token.address,
        abi: usdcLikeTokenAbi,
        functionName: 'allowance',
        args: [account.address, PERMIT2_ADDRESS],
      })
      expect(allowance).toBe(account === accounts.merchant ? 0n : maxUint256)
    }
  })

  test('permitWitnessTransferFrom moves the requested amount, up to the permitted one, and uses the nonce', async () => {
    const permit = await permitInAnHour(5_000_000n)
    const witness = { to: merchant.address, validAfter: 0n }
    const signature = await signExactPermit2(devnet, payer, permit, witness, spender.address)
    const before = await Promise.all([
      tokenBalance(devnet, payer.address),
      tokenBalance(devnet, merchant.address),
    ])
    const hash = await walletFor(spender).writeContract({
      address: PERMIT2_ADDRESS,
      abi: permit2Abi,
      functionName: 'permitWitnessTransferFrom',
      args: witnessArgs(permit, merchant.address, 1_250_000n, payer.address, witness, signature),
    })
    const receipt = await mined(hash)
    const transfers = parseEventLogs({ abi: usdcLikeTokenAbi, eventName: 'Transfer', logs: receipt.logs })
    expect(transfers.map((log) => log.args)).toEqual([
      { from: payer.address, to: merchant.address, value: 1_250_000n },
    ])
    expect(await tokenBalance(devnet, payer.address)).toBe(before[0] - 1_250_000n)
    expect(await tokenBalance(devnet, merchant.address)).toBe(before[1] + 1_250_000n)
    const word = await publicClient().readContract({
      address: PERMIT2_ADDRESS,
      abi: permit2Abi,
      functionName: 'nonceBitmap',
      args: [payer.address, permit.nonce >> 8n],
    })
    expect(word & (1n << (permit.nonce & 0xffn))).not.toBe(0n)

    // The same signature again: the nonce is spent.
    expect(
      await revertOf(() =>
        simulateWitnessTransfer(
          spender,
          witnessArgs(permit, merchant.address, 1n, payer.address, witness, signature),
        ),
      ),
    ).toBe('InvalidNonce')
  })

  test('permitTransferFrom (no witness) moves the requested amount', async () => {
    const permit = await permitInAnHour(700n)
    const signature = await privateKeyToAccount(payer.privateKey).signTypedData({
      domain: permit2Domain(devnet),
      types: PERMIT_TRANSFER_FROM_TYPES,
      primaryType: 'PermitTransferFrom',
      message: { ...permit, spender: spender.address },
    })
    const before = await tokenBalance(devnet, merchant.address)
    await mined(
      await walletFor(spender).writeContract({
        address: PERMIT2_ADDRESS,
        abi: permit2Abi,
        functionName: 'permitTransferFrom',
        args: [permit, { to: merchant.address, requestedAmount: 700n }, payer.address, signature],
      }),
    )
    expect(await tokenBalance(devnet, merchant.address)).toBe(before + 700n)
  })

  test('accepts a 64-byte EIP-2098 compact signature', async () => {
    const permit = await permitInAnHour(321n)
    const witness = { to: merchant.address, validAfter: 0n }
    const signature = await signExactPermit2(devnet, payer, permit, witness, spender.address)
    const compact = serializeCompactSignature(signatureToCompactSignature(parseSignature(signature)))
    expect((compact.length - 2) / 2).toBe(64)
    const before = await tokenBalance(devnet, merchant.address)
    await mined(
      await walletFor(spender).writeContract({
        address: PERMIT2_ADDRESS,
        abi: permit2Abi,
        functionName: 'permitWitnessTransferFrom',
        args: witnessArgs(permit, merchant.address, 321n, payer.address, witness, compact),
      }),
    )
    expect(await tokenBalance(devnet, merchant.address)).toBe(before + 321n)
  })

  test('refuses an expired deadline, an amount above the permit, a wrong witness, spender or signature', async () => {
    const now = await chainNow(publicClient())
    const witness = { to: merchant.address, validAfter: 0n }

    const expired = permitFor(devnet, 100n, now - 1n)
    const expiredSignature = await signExactPermit2(devnet, payer, expired, witness, spender.address)
    expect(
      await revertOf(() =>
        simulateWitnessTransfer(
          spender,
          witnessArgs(expired, merchant.address, 100n, payer.address, witness, expiredSignature),
        ),
      ),
    ).toBe('SignatureExpired')

    const permit = await permitInAnHour(100n)
    const signature = await signExactPermit2(devnet, payer, permit, witness, spender.address)
    const args = (overrides: {
      amount?: bigint
      to?: `0x${string}`
      signature?: Hex
      witnessTo?: `0x${string}`
    }) =>
      witnessArgs(
        permit,
        overrides.to ?? merchant.address,
        overrides.amount ?? 100n,
        payer.address,
        { to: overrides.witnessTo ?? merchant.address, validAfter: 0n },
        overrides.signature ?? signature,
      )
    expect(await revertOf(() => simulateWitnessTransfer(spender, args({ amount: 101n })))).toBe(
      'InvalidAmount',
    )
    // A witness other than the signed one (the payee changed) changes the digest.
    expect(await revertOf(() => simulateWitnessTransfer(spender, args({ witnessTo: spender.address })))).toBe(
      'InvalidSigner',
    )
    // The spender is the caller: another caller cannot use the signature.
    expect(await revertOf(() => simulateWitnessTransfer(merchant, args({})))).toBe('InvalidSigner')
    const otherKey = await signExactPermit2(devnet, merchant, permit, witness, spender.address)
    expect(await revertOf(() => simulateWitnessTransfer(spender, args({ signature: otherKey })))).toBe(
      'InvalidSigner',
    )
    expect(
      await revertOf(() => simulateWitnessTransfer(spender, args({ signature: `${signature}00` }))),
    ).toBe('InvalidSignatureLength')
    // v = 0 recovers no address.
    expect(
      await revertOf(() =>
        simulateWitnessTransfer(spender, args({ signature: `${signature.slice(0, -2)}00` as Hex })),
      ),
    ).toBe('InvalidSignature')
    // The valid call still works after all the refusals: nothing above spent the nonce.
    await simulateWitnessTransfer(spender, args({}))
  })

  test('invalidateUnorderedNonces cancels a signed permit', async () => {
    const permit = await permitInAnHour(100n)
    const witness = { to: merchant.address, validAfter: 0n }
    const signature = await signExactPermit2(devnet, payer, permit, witness, spender.address)
    const receipt = await mined(
      await walletFor(payer).writeContract({
        address: PERMIT2_ADDRESS,
        abi: permit2Abi,
        functionName: 'invalidateUnorderedNonces',
        args: [permit.nonce >> 8n, 1n << (permit.nonce & 0xffn)],
      }),
    )
    expect(
      parseEventLogs({ abi: permit2Abi, eventName: 'UnorderedNonceInvalidation', logs: receipt.logs }).map(
        (log) => log.args,
      ),
    ).toEqual([{ owner: payer.address, word: permit.nonce >> 8n, mask: 1n << (permit.nonce & 0xffn) }])
    expect(
      await revertOf(() =>
        simulateWitnessTransfer(
          spender,
          witnessArgs(permit, merchant.address, 100n, payer.address, witness, signature),
        ),
      ),
    ).toBe('InvalidNonce')
  })

  test('checks the signature of an owner with code through EIP-1271', async () => {
    const owner = devnet.evm.accounts.others[1] as DevnetAccount
    const wallet = await deploySmartWallet(devnet, owner.address)
    // The wallet approves Permit2 through its owner.
    await mined(
      await walletFor(owner).writeContract({
        address: wallet,
        abi: smartWalletAbi,
        functionName: 'execute',
        args: [
          devnet.evm.token.address,
          0n,
          encodeFunctionData({
            abi: usdcLikeTokenAbi,
            functionName: 'approve',
            args: [PERMIT2_ADDRESS, maxUint256],
          }),
        ],
      }),
    )
    const permit = await permitInAnHour(2_000n)
    const witness = { to: merchant.address, validAfter: 0n }
    // The SmartWallet fixture accepts its owner's ECDSA signature over the digest itself.
    const signature = await signExactPermit2(devnet, owner, permit, witness, spender.address)
    const stranger = await signExactPermit2(devnet, payer, permit, witness, spender.address)
    expect(
      await revertOf(() =>
        simulateWitnessTransfer(
          spender,
          witnessArgs(permit, merchant.address, 2_000n, wallet, witness, stranger),
        ),
      ),
    ).toBe('InvalidContractSignature')
    const before = await tokenBalance(devnet, wallet)
    await mined(
      await walletFor(spender).writeContract({
        address: PERMIT2_ADDRESS,
        abi: permit2Abi,
        functionName: 'permitWitnessTransferFrom',
        args: witnessArgs(permit, merchant.address, 2_000n, wallet, witness, signature),
      }),
    )
    expect(await tokenBalance(devnet, wallet)).toBe(before - 2_000n)
  })

  test('the witness type hash is the one of the spec type string', () => {
    // What Permit2 hashes: its stub followed by the proxy's witness type string.
    const typeString = `PermitWitnessTransferFrom(TokenPermissions permitted,address spender,uint256 nonce,uint256 deadline,${EXACT_WITNESS_TYPE_STRING}`
    expect(typeString).toBe(
      'PermitWitnessTransferFrom(TokenPermissions permitted,address spender,uint256 nonce,uint256 deadline,Witness witness)TokenPermissions(address token,uint256 amount)Witness(address to,uint256 validAfter)',
    )
    // viem's encoding of the same types gives the same struct hash as the manual encoding with that type.
    const message = {
      permitted: { token: devnet.evm.token.address, amount: 1n },
      spender: spender.address,
      nonce: 7n,
      deadline: 9n,
      witness: { to: merchant.address, validAfter: 3n },
    }
    const manual = keccak256(
      encodeAbiParameters(
        [
          { type: 'bytes32' },
          { type: 'bytes32' },
          { type: 'address' },
          { type: 'uint256' },
          { type: 'uint256' },
          { type: 'bytes32' },
        ],
        [
          keccak256(toHex(typeString)),
          hashStruct({
            data: message.permitted,
            primaryType: 'TokenPermissions',
            types: EXACT_PERMIT2_TYPES,
          }),
          message.spender,
          message.nonce,
          message.deadline,
          witnessHash(message.witness),
        ],
      ),
    )
    expect(
      hashStruct({ data: message, primaryType: 'PermitWitnessTransferFrom', types: EXACT_PERMIT2_TYPES }),
    ).toBe(manual)
  })
})
