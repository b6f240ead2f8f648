import { type PaymentPayload, type SchemeFacilitator, X402Error } from '@open402/core'
import { decodePaymentTransaction } from '@open402/svm'
import { exactSvmFacilitator } from '@open402/svm/facilitator'
import { type Address, createKeyPairSignerFromBytes, getBase58Encoder, type KeyPairSigner } from '@solana/kit'
import type { SvmNetworkConfig } from '../facilitator-config.js'
import type { ConfiguredChain, SignerSettleHook } from './configured-chain.js'
import type { RpcRetryOptions } from './rpc-retry.js'
import { createSvmRpc } from './svm-rpc.js'

/** Options of {@link createSvmChain}. */
export interface SvmChainOptions {
  retry?: RpcRetryOptions
  onSignerSettle?: SignerSettleHook
}

/**
 * The `exact` Solana scheme on one network, co-signing with the configured fee payers. The fee payer of a
 * settlement is the one the client put in its transaction (read locally, no RPC) and is reported through
 * `onSignerSettle`. Readiness compares `getGenesisHash` with the network's CAIP-2 reference.
 */
export async function createSvmChain(
  config: SvmNetworkConfig,
  index: number,
  options: SvmChainOptions = {},
): Promise<ConfiguredChain> {
  const { network, rpcUrl } = config
  const signers = await Promise.all(
    config.secretKeys.map((key, keyIndex) => toSigner(key, `config.svm[${index}].secretKeys[${keyIndex}]`)),
  )
  const rpc = createSvmRpc(rpcUrl, options.retry)
  const part = exactSvmFacilitator({ signers, networks: { [network]: { rpc } } })
  const reference = network.slice('solana:'.length)
  const addresses = new Set<string>(signers.map((signer) => signer.address))

  const scheme: SchemeFacilitator = {
    scheme: 'exact',
    network,
    kinds: () => part.kinds(),
    signers: () => part.signers(),
    verify: (payload, requirements) => part.verify(payload, requirements),
    settle(payload, requirements, context) {
      const feePayer = feePayerOf(payload)
      options.onSignerSettle?.(network, addresses.has(feePayer) ? feePayer : 'other')
      return part.settle(payload, requirements, context)
    },
    reconcile: (target) => part.reconcile?.(target) ?? Promise.resolve({ state: 'unknown' }),
  }

  return {
    network,
    schemes: [scheme],
    readiness: {
      name: `rpc ${network}`,
      async check(signal) {
        const hash = await rpc.getGenesisHash().send({ abortSignal: signal })
        if (!hash.startsWith(reference)) throw new Error(`genesis hash ${hash} does not match ${network}`)
      },
    },
    balances: signers.map((signer) => ({
      network,
      signer: signer.address,
      read: async () => (await rpc.getBalance(signer.address as Address).send()).value,
    })),
  }
}

async function toSigner(secretKey: string, path: string): Promise<KeyPairSigner> {
  try {
    return await createKeyPairSignerFromBytes(getBase58Encoder().encode(secretKey))
  } catch {
    // The key itself is never part of the message.
    throw new X402Error('invalid_config', `${path}: is not a valid Ed25519 key pair (seed || public key)`)
  }
}

function feePayerOf(payload: PaymentPayload): string {
  const transaction = (payload.payload as { transaction?: unknown } | undefined)?.transaction
  if (typeof transaction !== 'string') return 'other'
  const decoded = decodePaymentTransaction(transaction)
  return decoded.ok ? decoded.decoded.feePayer : 'other'
}
