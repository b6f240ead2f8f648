import type { PaymentRequired, SettleResponse, SignInClient } from '@open402/core'
import { X402Error } from '@open402/core'
import { SIGN_IN_WITH_X, SIGN_IN_WITH_X_HEADER } from '../shared/constants.js'
import { encodeSiwxHeader } from '../shared/siwx-header.js'
import { formatSiwxMessage } from '../shared/siwx-message.js'
import type { SiwxSigner } from '../shared/siwx-signer.js'
import type { SiwxInfo, SiwxPayload, SiwxSupportedChain } from '../shared/types.js'

/** A payment this client made: on which CAIP-2 chain, and by which address (from PAYMENT-RESPONSE). */
export interface SiwxPaidRecord {
  network: string
  payer: string
  /** The URL paid for (without its query): a sign-in for that resource uses this wallet first. */
  resource?: string
}

/** Where a client remembers the origins it paid (default: memory; any store can back it). */
export interface SiwxPaymentMemory {
  recall(origin: string): SiwxPaidRecord[] | Promise<SiwxPaidRecord[]>
  remember(origin: string, record: SiwxPaidRecord): void | Promise<void>
}

/** Options of {@link siwxClient}. */
export interface SiwxClientOptions {
  /** The wallets that pay, as signers: `evmSiwxSigner(account)`, `solanaSiwxSigner(signer)`. */
  signers: SiwxSigner[]
  /** Where paid origins are remembered (default: this process's memory). */
  memory?: SiwxPaymentMemory
}

/** Origins remembered by the default memory before the oldest is forgotten. */
const MEMORY_ORIGINS = 1024

/**
 * The in-memory {@link SiwxPaymentMemory}: the last 1,024 origins, each with the wallets and chains paid on.
 * @example siwxClient({ signers, memory: createMemoryPaymentMemory() })
 */
export function createMemoryPaymentMemory(): SiwxPaymentMemory {
  const origins = new Map<string, SiwxPaidRecord[]>()
  return {
    recall: (origin) => origins.get(origin) ?? [],
    remember(origin, record) {
      const records = (origins.get(origin) ?? []).filter(
        (r) => r.network !== record.network || r.payer !== record.payer || r.resource !== record.resource,
      )
      origins.delete(origin)
      if (origins.size >= MEMORY_ORIGINS) origins.delete(origins.keys().next().value as string)
      origins.set(origin, [...records, record])
    },
  }
}

/**
 * The client side of sign-in-with-x, for `wrapFetch(fetch, client, { signIn })` (`@open402/fetch`): after a
 * payment settles it remembers the origin, chain and payer; when a later 402 from that origin offers
 * `sign-in-with-x` on that chain, the wallet that paid signs the challenge (EIP-4361 / SIWS) and the
 * request is retried with `SIGN-IN-WITH-X` instead of paying. It never signs for an origin it has not paid.
 * @example
 * const paidFetch = wrapFetch(fetch, client, { signIn: siwxClient({ signers: [evmSiwxSigner(account)] }) })
 */
export function siwxClient(options: SiwxClientOptions): SignInClient {
  if (!Array.isArray(options.signers) || options.signers.length === 0) {
    throw new X402Error('invalid_config', 'siwxClient: give at least one signer, e.g. evmSiwxSigner(account)')
  }
  const memory = options.memory ?? createMemoryPaymentMemory()
  const sameAddress = (signer: SiwxSigner, address: string) =>
    signer.namespace === 'eip155'
      ? signer.address.toLowerCase() === address.toLowerCase()
      : signer.address === address

  return {
    async signIn(paymentRequired: PaymentRequired, request: Request) {
      const offer = readOffer(paymentRequired.extensions?.[SIGN_IN_WITH_X])
      if (!offer) return undefined
      // Sign only for the site asked: a 402 naming another domain would get a proof to replay there.
      const url = new URL(request.url)
      if (offer.info.domain !== url.host || !sameOrigin(offer.info.uri, url.origin)) return undefined
      // The wallet that paid for this very resource first: entitlements are per route, and the same site
      // may have been paid from other wallets or chains for other routes.
      const resource = resourceOf(url)
      const paid = [...(await memory.recall(url.origin))].sort(
        (a, b) => Number(b.resource === resource) - Number(a.resource === resource),
      )
      for (const record of paid) {
        for (const chain of offer.supportedChains) {
          if (record.network !== chain.chainId) continue
          const namespace = chain.chainId.slice(0, chain.chainId.indexOf(':'))
          const signer = options.signers.find(
            (s) => s.namespace === namespace && s.type === chain.type && sameAddress(s, record.payer),
          )
          if (!signer) continue
          const fields = { ...offer.info, address: signer.address, chainId: chain.chainId }
          const signature = await signer.signMessage(formatSiwxMessage(fields))
          const payload: SiwxPayload = {
            ...fields,
            type: chain.type,
            ...(signer.signatureScheme === undefined ? {} : { signatureScheme: signer.signatureScheme }),
            signature,
          }
          return { [SIGN_IN_WITH_X_HEADER]: encodeSiwxHeader(payload) }
        }
      }
      return undefined
    },
    async paid(settlement: SettleResponse, request: Request) {
      if (!settlement.success || !settlement.payer) return
      const url = new URL(request.url)
      await memory.remember(url.origin, {
        network: settlement.network,
        payer: settlement.payer,
        resource: resourceOf(url),
      })
    },
  }
}

/** The offer in a 402, if it is well formed enough to sign; anything else is ignored (pay instead). */
function readOffer(value: unknown): { info: SiwxInfo; supportedChains: SiwxSupportedChain[] } | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const { info, supportedChains } = value as { info?: unknown; supportedChains?: unknown }
  if (typeof info !== 'object' || info === null || !Array.isArray(supportedChains)) return undefined
  const fields = info as Record<string, unknown>
  for (const name of ['domain', 'uri', 'version', 'nonce', 'issuedAt']) {
    if (typeof fields[name] !== 'string') return undefined
  }
  const chains = supportedChains.filter(
    (chain): chain is SiwxSupportedChain =>
      typeof chain === 'object' &&
      chain !== null &&
      typeof (chain as SiwxSupportedChain).chainId === 'string' &&
      typeof (chain as SiwxSupportedChain).type === 'string',
  )
  return { info: fields as unknown as SiwxInfo, supportedChains: chains }
}

/** A URL without its query and fragment. */
function resourceOf(url: URL): string {
  return `${url.origin}${url.pathname}`
}

function sameOrigin(uri: string, origin: string): boolean {
  return URL.canParse(uri) && new URL(uri).origin === origin
}
