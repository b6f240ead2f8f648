import type { PaymentPayload, PaymentRequirements } from '@open402/core'
import type { Devnet, DevnetAccount } from '@open402/devnet'
import { http, type Transport } from 'viem'
import type { LocalAccount } from 'viem/accounts'
import {
  type AuthorizationOptions,
  signTransferAuthorization,
} from '../src/exact/client/sign-authorization.js'

/** Requirements for 0.01 devnet USDC to the merchant. */
export function devnetRequirements(
  devnet: Devnet,
  overrides: Partial<PaymentRequirements> = {},
): PaymentRequirements {
  const { token, network, accounts } = devnet.evm
  return {
    scheme: 'exact',
    network,
    amount: '10000',
    asset: token.address,
    payTo: accounts.merchant.address,
    maxTimeoutSeconds: 300,
    extra: { name: token.name, version: token.version },
    ...overrides,
  }
}

/**
 * A payment signed by `signer` for `signed` requirements (default: `requirements`), claiming to come
 * from `from` (default: the signer), wrapped in a PaymentPayload that accepts `requirements`.
 */
export async function signedPayment(
  signer: LocalAccount,
  requirements: PaymentRequirements,
  options: AuthorizationOptions & {
    signed?: PaymentRequirements
    from?: `0x${string}`
    accepted?: Partial<PaymentRequirements>
  } = {},
): Promise<PaymentPayload> {
  const { signed = requirements, from = signer.address, accepted = {}, ...timing } = options
  const payload = await signTransferAuthorization(
    (typed) => signer.signTypedData(typed),
    from,
    signed,
    timing,
  )
  return {
    x402Version: 2,
    resource: { url: 'https://example.com/paid' },
    accepted: { ...requirements, ...accepted },
    payload: { ...payload },
  }
}

/** An HTTP transport that records every JSON-RPC method it sends, and can withhold receipts. */
export function recordingTransport(url: string, options: { withholdReceipts?: boolean } = {}) {
  const methods: string[] = []
  const inner = http(url)
  const transport: Transport = (config) => {
    const base = inner(config)
    return {
      ...base,
      request: (async (args: { method: string; params?: unknown }) => {
        methods.push(args.method)
        if (options.withholdReceipts && args.method === 'eth_getTransactionReceipt') return null
        return base.request(args as never)
      }) as typeof base.request,
    }
  }
  return { transport, methods }
}

/** The devnet's `others[index]` account (throws if the devnet has fewer). */
export function otherAccount(devnet: Devnet, index: number): DevnetAccount {
  const account = devnet.evm.accounts.others[index]
  if (!account) throw new Error(`the devnet has no others[${index}] account`)
  return account
}
