import { isCaip2, X402Error } from '@open402/core'
import { getBase58Encoder } from '@solana/kit'
import { z } from 'zod'

/** A private key as 0x-prefixed 32-byte hex. */
export type PrivateKeyHex = `0x${string}`

const PRIVATE_KEY = /^0x[0-9a-fA-F]{64}$/

/** Whether `value` is a 0x-prefixed 32-byte hex private key. */
export function isPrivateKeyHex(value: unknown): value is PrivateKeyHex {
  return typeof value === 'string' && PRIVATE_KEY.test(value)
}

/** Whether `value` is a Solana secret key: the base58 of 64 bytes (seed || public key). */
export function isSvmSecretKey(value: unknown): value is string {
  if (typeof value !== 'string' || value.length < 64 || value.length > 100) return false
  try {
    return getBase58Encoder().encode(value).length === 64
  } catch {
    return false
  }
}

const httpUrl = z
  .string({ error: 'must be an http(s) URL' })
  .refine((url) => URL.canParse(url) && /^https?:$/.test(new URL(url).protocol), 'must be an http(s) URL')

const evmNetwork = z
  .string({ error: 'must be an EVM CAIP-2 id such as eip155:8453' })
  .refine((id) => isCaip2(id) && /^eip155:[0-9]+$/.test(id), 'must be an EVM CAIP-2 id such as eip155:8453')
  .transform((id) => id as `eip155:${string}`)

const svmNetwork = z
  .string({ error: 'must be a Solana CAIP-2 id such as solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp' })
  .refine(
    (id) => isCaip2(id) && id.startsWith('solana:'),
    'must be a Solana CAIP-2 id such as solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp',
  )
  .transform((id) => id as `solana:${string}`)

// Key messages never include the value: zod is told the message, and no refinement echoes its input.
const evmKeys = z
  .array(
    z.custom<PrivateKeyHex>(isPrivateKeyHex, 'must be 0x followed by 64 hex digits'),
    'must list at least one key (set OPEN402_EVM_PRIVATE_KEYS, OPEN402_FACILITATOR_PRIVATE_KEY or --key-file)',
  )
  .min(
    1,
    'must list at least one key (set OPEN402_EVM_PRIVATE_KEYS, OPEN402_FACILITATOR_PRIVATE_KEY or --key-file)',
  )

const svmKeys = z
  .array(
    z.custom<string>(isSvmSecretKey, 'must be the base58 of a 64-byte secret key'),
    'must list at least one key (set OPEN402_SVM_SECRET_KEYS or --svm-key-file)',
  )
  .min(1, 'must list at least one key (set OPEN402_SVM_SECRET_KEYS or --svm-key-file)')

const EvmNetworkConfigSchema = z.strictObject({
  network: evmNetwork,
  rpcUrl: httpUrl,
  privateKeys: evmKeys,
  /** How long settle waits for a receipt before answering pending (default 30 000 ms). */
  receiptTimeoutMs: z.int().positive().optional(),
  /**
   * The schemes served on this network (default `["exact"]`): `"upto"` adds pay-for-what-was-used through
   * the x402 upto Permit2 proxy, settled from the first key (the one `/supported` names).
   */
  schemes: z
    .array(z.enum(['exact', 'upto'], 'must be "exact" or "upto"'))
    .min(1, 'must list at least one scheme')
    .refine((list) => new Set(list).size === list.length, 'must not list a scheme twice')
    .default(['exact']),
})
const SvmNetworkConfigSchema = z.strictObject({ network: svmNetwork, rpcUrl: httpUrl, secretKeys: svmKeys })

const STORAGE_URL = /^(sqlite:.+|postgres(ql)?:\/\/.+)$/

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000

/**
 * The whole facilitator configuration, as read from a JSON file, the environment and flags. Every field
 * but the networks has a default; `parseFacilitatorConfig` validates it and names the offending field.
 */
export const FacilitatorConfigSchema = z.strictObject({
  server: z
    .strictObject({
      host: z.string().min(1, 'must be a host name or address').default('127.0.0.1'),
      port: z.int('must be an integer 0-65535').min(0).max(65535, 'must be an integer 0-65535').default(4020),
      /** Trust `X-Forwarded-For` for the client address (only behind a proxy that sets it). */
      trustProxy: z.boolean().default(false),
      /** How long a shutdown waits for in-flight settlements. */
      shutdownTimeoutMs: z.int().positive().default(30_000),
      /** How long `/readyz` waits for each check. */
      readinessTimeoutMs: z.int().positive().default(3_000),
    })
    .default({
      host: '127.0.0.1',
      port: 4020,
      trustProxy: false,
      shutdownTimeoutMs: 30_000,
      readinessTimeoutMs: 3_000,
    }),
  evm: z.array(EvmNetworkConfigSchema).default([]),
  svm: z.array(SvmNetworkConfigSchema).default([]),
  rpc: z
    .strictObject({
      /** Retries of a failed read (never of a transaction send). */
      retries: z.int().min(0).max(10).default(2),
      /** Delay before the first retry; doubled for each next one. */
      retryDelayMs: z.int().min(0).default(150),
    })
    .default({ retries: 2, retryDelayMs: 150 }),
  storage: z
    .strictObject({
      url: z
        .string()
        .regex(STORAGE_URL, 'must be sqlite:PATH or postgres://…')
        .default('sqlite:./open402.db'),
      /** How often unfinished settlements are reconciled with the chain (default 10 000 ms). */
      reconcileIntervalMs: z.int().positive().default(10_000),
    })
    .default({ url: 'sqlite:./open402.db', reconcileIntervalMs: 10_000 }),
  auth: z
    .strictObject({
      apiKeys: z
        .array(z.string().min(16, 'must be at least 16 characters'), 'must be an array of strings')
        .default([]),
      /** Also require a key for `GET /metrics`. */
      protectMetrics: z.boolean().default(false),
    })
    .default({ apiKeys: [], protectMetrics: false }),
  limits: z
    .strictObject({
      maxBodyBytes: z
        .int()
        .positive()
        .default(64 * 1024),
      rateLimit: z.strictObject({ requests: z.int().positive(), windowMs: z.int().positive() }).optional(),
    })
    .default({ maxBodyBytes: 64 * 1024 }),
  logging: z.strictObject({ level: z.enum(LOG_LEVELS).default('info') }).default({ level: 'info' }),
  /**
   * The discovery catalog (README "Discovery"): on by default when the service has storage. `usdAssets`
   * adds dollar stablecoins to the built-in USDC table used by `maxPrice=$…`.
   */
  discovery: z
    .strictObject({
      enabled: z.boolean().default(true),
      usdAssets: z
        .array(
          z.strictObject({
            network: z.string().refine(isCaip2, 'must be a CAIP-2 id such as eip155:8453'),
            asset: z.string().min(1),
            decimals: z.int().min(0).max(36),
          }),
        )
        .default([]),
    })
    .default({ enabled: true, usdAssets: [] }),
  /** Deduplication of `/verify` and `/settle` by payment identifier (README "Payment identifiers"). */
  idempotency: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** How long an identifier is remembered after its first use (default 24 hours). */
      ttlMs: z.int().positive().default(DEFAULT_IDEMPOTENCY_TTL_MS),
    })
    .default({ enabled: true, ttlMs: DEFAULT_IDEMPOTENCY_TTL_MS }),
})

/** A validated facilitator configuration, every default filled in. */
export type FacilitatorConfig = z.output<typeof FacilitatorConfigSchema>
/** A facilitator configuration as written: only the networks are needed. */
export type FacilitatorConfigInput = z.input<typeof FacilitatorConfigSchema>
/** One EVM network the facilitator settles on, with the keys that submit settlements. */
export type EvmNetworkConfig = z.output<typeof EvmNetworkConfigSchema>
/** One Solana network the facilitator co-signs on, with its fee payers' secret keys. */
export type SvmNetworkConfig = z.output<typeof SvmNetworkConfigSchema>

/**
 * Validates a facilitator configuration; throws `X402Error('invalid_config')` naming each offending field
 * as `config.evm[0].rpcUrl: must be an http(s) URL`, and never echoing a key.
 */
export function parseFacilitatorConfig(value: unknown): FacilitatorConfig {
  const result = FacilitatorConfigSchema.safeParse(value)
  if (result.success) return result.data
  const lines = result.error.issues.slice(0, 8).map((issue) => {
    const path = ['config', ...issue.path]
      .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`))
      .join('')
    // Unknown-key messages list the keys, which are names, never values.
    return `${path}: ${issue.message}`
  })
  throw new X402Error('invalid_config', `invalid facilitator configuration\n  ${lines.join('\n  ')}`)
}
