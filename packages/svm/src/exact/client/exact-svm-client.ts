import { type Caip2, type PaymentRequirements, type SchemeClient, X402Error } from '@open402/core'
import {
  type Address,
  type Blockhash,
  createSolanaRpc,
  isAddress,
  isBlockhash,
  type Rpc,
  type SolanaRpcApi,
  type TransactionSigner,
} from '@solana/kit'
import { findSvmAsset } from '../../networks/resolve-asset.js'
import type { SvmAssets } from '../../networks/svm-asset.js'
import { findSvmNetwork } from '../../networks/svm-networks.js'
import type { ExactSvmPayload } from '../../shared/exact-svm-payload.js'
import { MAX_MEMO_BYTES } from '../../shared/programs.js'
import { paymentInstructions, signPaymentTransaction } from './build-payment-transaction.js'
import { type MintInfo, resolveMint } from './resolve-mint.js'

/** Options of {@link exactSvmClient}. */
export interface ExactSvmClientOptions {
  /** The token owner who pays: any @solana/kit `TransactionSigner` (a `KeyPairSigner` works as is). */
  signer: TransactionSigner
  /** RPC per CAIP-2 network (a URL or a Kit `Rpc`); the public cluster endpoints are the defaults. */
  rpc?: Record<string, string | Rpc<SolanaRpcApi>>
  /** Mints beyond the built-in USDC table (decimals and token program known without RPC). */
  assets?: SvmAssets
  /** Compute unit limit of the payment transaction; default 20 000. */
  computeUnitLimit?: number
  /** Priority fee in microlamports per compute unit; default 1. */
  computeUnitPriceMicroLamports?: bigint | number
  /** Wire version of the transaction; default 0 (v0). */
  transactionVersion?: 0 | 'legacy'
}

/**
 * The client part of the `exact` scheme on `solana:*`: builds and partially signs a TransferChecked
 * payment whose fee payer is the facilitator named in `extra.feePayer`.
 * @example exactSvmClient({ signer: await createKeyPairSignerFromBytes(secretKey) })
 * @see https://github.com/coinbase/x402/blob/main/specs/schemes/exact/scheme_exact_svm.md
 */
export function exactSvmClient(options: ExactSvmClientOptions): SchemeClient {
  const { signer, assets } = options
  if (!signer || typeof signer.address !== 'string') {
    throw new X402Error('invalid_config', 'exactSvmClient needs { signer }, a @solana/kit TransactionSigner')
  }
  const rpcs = new Map<string, Rpc<SolanaRpcApi>>()
  const rpcFor = (network: string) => (): Rpc<SolanaRpcApi> => {
    const cached = rpcs.get(network)
    if (cached) return cached
    const configured = options.rpc?.[network] ?? findSvmNetwork(network)?.rpcUrl
    if (configured === undefined) {
      throw new X402Error(
        'invalid_config',
        `exactSvmClient has no RPC for ${network}: pass rpc: { '${network}': 'https://…' }`,
      )
    }
    const rpc = typeof configured === 'string' ? createSolanaRpc(configured) : configured
    rpcs.set(network, rpc)
    return rpc
  }
  const mints = new Map<string, Promise<MintInfo>>()
  const mintInfo = (network: string, mint: Address): Promise<MintInfo> => {
    const key = `${network} ${mint}`
    let info = mints.get(key)
    if (!info) {
      info = resolveMint(rpcFor(network), network, mint, assets)
      info.catch(() => mints.delete(key))
      mints.set(key, info)
    }
    return info
  }
  const computeUnitPrice =
    options.computeUnitPriceMicroLamports === undefined
      ? undefined
      : BigInt(options.computeUnitPriceMicroLamports)

  return {
    scheme: 'exact',
    network: 'solana:*',
    payer: (_network: Caip2) => signer.address,
    decimals: (network: Caip2, asset: string) => findSvmAsset(network, asset, assets)?.decimals,
    async createPayload(requirements): Promise<Record<string, unknown>> {
      const { feePayer, payTo, mint, memo } = readRequirements(requirements)
      const [info, blockhash] = await Promise.all([
        mintInfo(requirements.network, mint),
        lifetimeFor(requirements, rpcFor(requirements.network)),
      ])
      const instructions = await paymentInstructions({
        owner: signer,
        mint,
        decimals: info.decimals,
        tokenProgram: info.tokenProgram,
        payTo,
        amount: BigInt(requirements.amount),
        memo,
        ...(options.computeUnitLimit === undefined ? {} : { computeUnitLimit: options.computeUnitLimit }),
        ...(computeUnitPrice === undefined ? {} : { computeUnitPriceMicroLamports: computeUnitPrice }),
      })
      const transaction = await signPaymentTransaction(instructions, {
        feePayer,
        blockhash,
        version: options.transactionVersion ?? 0,
      })
      const payload: ExactSvmPayload = { transaction }
      return { ...payload }
    },
  }
}

function readRequirements(requirements: PaymentRequirements): {
  feePayer: Address
  payTo: Address
  mint: Address
  memo: string
} {
  const feePayer = requirements.extra?.feePayer
  if (typeof feePayer !== 'string' || !isAddress(feePayer)) {
    throw new X402Error(
      'invalid_config',
      `requirements.extra.feePayer must be the facilitator's Solana address, got ${JSON.stringify(feePayer)}`,
    )
  }
  if (!isAddress(requirements.payTo)) {
    throw new X402Error('invalid_config', `requirements.payTo ${requirements.payTo} is not a Solana address`)
  }
  if (!isAddress(requirements.asset)) {
    throw new X402Error('invalid_config', `requirements.asset ${requirements.asset} is not a mint address`)
  }
  const memo = requirements.extra?.memo
  if (memo !== undefined && typeof memo !== 'string') {
    throw new X402Error('invalid_config', 'requirements.extra.memo must be a string')
  }
  if (typeof memo === 'string' && new TextEncoder().encode(memo).length > MAX_MEMO_BYTES) {
    throw new X402Error('invalid_config', `requirements.extra.memo is longer than ${MAX_MEMO_BYTES} bytes`)
  }
  return { feePayer, payTo: requirements.payTo, mint: requirements.asset, memo: memo || randomNonce() }
}

/** The blockhash to build against: a valid `extra.recentBlockhash` hint, else the cluster's latest. */
async function lifetimeFor(
  requirements: PaymentRequirements,
  rpc: () => Rpc<SolanaRpcApi>,
): Promise<{ blockhash: Blockhash; lastValidBlockHeight: bigint }> {
  const hint = requirements.extra?.recentBlockhash
  if (typeof hint === 'string' && isBlockhash(hint)) {
    const height = requirements.extra?.lastValidBlockHeight
    const lastValidBlockHeight =
      typeof height === 'string' && /^[0-9]{1,20}$/.test(height) ? BigInt(height) : 0n
    return { blockhash: hint, lastValidBlockHeight }
  }
  const { value } = await rpc().getLatestBlockhash({ commitment: 'confirmed' }).send()
  return value
}

/** 16 random bytes, hex-encoded: makes two otherwise equal payments different transactions. */
function randomNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
}
