import type { PaymentPayload, PaymentRequirements } from '@open402/core'
import type { DevnetDescription } from '@open402/devnet'
import {
  type Address,
  type Blockhash,
  createDefaultRpcTransport,
  createKeyPairSignerFromBytes,
  createSolanaRpc,
  createSolanaRpcFromTransport,
  generateKeyPairSigner,
  getBase58Encoder,
  type Instruction,
  type KeyPairSigner,
  type RpcTransport,
  type TransactionSigner,
} from '@solana/kit'
import {
  type PaymentInstructionsInput,
  paymentInstructions,
  signPaymentTransaction,
} from '../src/exact/client/build-payment-transaction.js'
import { TOKEN_PROGRAM } from '../src/shared/programs.js'

/** A blockhash-shaped value for offline tests (any 32 bytes in base58). */
export const OFFLINE_BLOCKHASH = {
  blockhash: '4NCYB3kRT8sCNodPNuCZo8VUh4xqpBQxsxed2wd9xaD4' as Blockhash,
  lastValidBlockHeight: 1000n,
}

/** The parties and terms of one payment. */
export interface PaymentParties {
  network: `${string}:${string}`
  owner: TransactionSigner
  feePayer: Address
  mint: Address
  decimals: number
  tokenProgram: Address
  payTo: Address
  amount: bigint
  blockhash: { blockhash: Blockhash; lastValidBlockHeight: bigint }
  memo?: string
}

/** Requirements matching `parties` (0.01 of a 6-decimal mint by default). */
export function requirementsFor(
  parties: PaymentParties,
  extra: Record<string, unknown> = {},
): PaymentRequirements {
  return {
    scheme: 'exact',
    network: parties.network,
    amount: parties.amount.toString(),
    asset: parties.mint,
    payTo: parties.payTo,
    maxTimeoutSeconds: 60,
    extra: { feePayer: parties.feePayer, ...extra },
  }
}

/** Fresh offline parties: new keys, a made-up mint, no chain. */
export async function offlineParties(): Promise<
  PaymentParties & { ownerKey: KeyPairSigner; feePayerKey: KeyPairSigner }
> {
  const [ownerKey, feePayerKey, mintKey, payToKey] = await Promise.all([
    generateKeyPairSigner(),
    generateKeyPairSigner(),
    generateKeyPairSigner(),
    generateKeyPairSigner(),
  ])
  return {
    network: 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1',
    owner: ownerKey,
    ownerKey,
    feePayer: feePayerKey.address,
    feePayerKey,
    mint: mintKey.address,
    decimals: 6,
    tokenProgram: TOKEN_PROGRAM,
    payTo: payToKey.address,
    amount: 10_000n,
    blockhash: OFFLINE_BLOCKHASH,
  }
}

/** Changes to the standard payment: instruction inputs, the instruction list, the frame, the payload. */
export interface PaymentEdits {
  input?: Partial<PaymentInstructionsInput>
  instructions?: (instructions: Instruction[]) => Instruction[]
  feePayer?: Address
  version?: 0 | 'legacy'
  accepted?: Partial<PaymentRequirements>
  requirements?: PaymentRequirements
}

/** A PaymentPayload whose transaction is the standard layout for `parties`, with `edits` applied. */
export async function buildPayment(
  parties: PaymentParties,
  edits: PaymentEdits = {},
): Promise<PaymentPayload> {
  const requirements = edits.requirements ?? requirementsFor(parties)
  const instructions = await paymentInstructions({
    owner: parties.owner,
    mint: parties.mint,
    decimals: parties.decimals,
    tokenProgram: parties.tokenProgram,
    payTo: parties.payTo,
    amount: parties.amount,
    memo: parties.memo ?? crypto.randomUUID(),
    ...edits.input,
  })
  const transaction = await signPaymentTransaction(edits.instructions?.(instructions) ?? instructions, {
    feePayer: edits.feePayer ?? parties.feePayer,
    blockhash: parties.blockhash,
    version: edits.version ?? 0,
  })
  return {
    x402Version: 2,
    resource: { url: 'https://example.com/paid' },
    accepted: { ...requirements, ...edits.accepted },
    payload: { transaction },
  }
}

/** A devnet account's signer (its `secretKey` is base58 of the 64-byte keypair). */
export function signerOf(account: { secretKey: string }): Promise<KeyPairSigner> {
  return createKeyPairSignerFromBytes(getBase58Encoder().encode(account.secretKey))
}

/** Which devnet mint a payment moves. */
export type DevnetMint = 'spl' | 'token2022'

/** Parties of a devnet payment: the payer pays 0.01 of the mint to the merchant, built on the latest blockhash. */
export async function devnetParties(
  devnet: Pick<DevnetDescription, 'svm'>,
  options: { mint?: DevnetMint; owner?: TransactionSigner; payTo?: Address; amount?: bigint } = {},
): Promise<PaymentParties> {
  const { svm } = devnet
  const mint = options.mint === 'token2022' ? svm.mint2022 : svm.mint
  const { value: blockhash } = await createSolanaRpc(svm.rpcUrl).getLatestBlockhash().send()
  return {
    network: svm.network as `${string}:${string}`,
    owner: options.owner ?? (await signerOf(svm.accounts.payer)),
    feePayer: svm.accounts.facilitator.address as Address,
    mint: mint.address as Address,
    decimals: mint.decimals,
    tokenProgram: mint.tokenProgram as Address,
    payTo: options.payTo ?? (svm.accounts.merchant.address as Address),
    amount: options.amount ?? 10_000n,
    blockhash,
  }
}

/**
 * A Kit RPC to `url` that records every JSON-RPC method it sends and can answer `getSignatureStatuses`
 * with "unknown" (as if the transaction had not landed yet) or hold `sendTransaction` until `release()`.
 */
export function recordingRpc(url: string, options: { withholdStatuses?: boolean; holdSends?: boolean } = {}) {
  const methods: string[] = []
  const inner = createDefaultRpcTransport({ url })
  let release: () => void = () => {}
  const released = new Promise<void>((resolve) => {
    release = resolve
  })
  const transport: RpcTransport = async <TResponse>(
    config: Parameters<RpcTransport>[0],
  ): Promise<TResponse> => {
    const payload = config.payload as { method: string; params: unknown[]; id: unknown; jsonrpc: string }
    methods.push(payload.method)
    if (options.withholdStatuses && payload.method === 'getSignatureStatuses') {
      const count = (payload.params[0] as unknown[]).length
      return {
        jsonrpc: '2.0',
        id: payload.id,
        result: { context: { slot: 1 }, value: Array(count).fill(null) },
      } as TResponse
    }
    if (options.holdSends && payload.method === 'sendTransaction') await released
    return inner<TResponse>(config)
  }
  return { rpc: createSolanaRpcFromTransport(transport), methods, release }
}
