/**
 * The CAIP-2 id the devnet's Solana chain presents: Solana devnet's, because the official `@x402/svm`
 * client accepts only the public clusters' ids.
 */
export const SVM_DEVNET_NETWORK = 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1'

/** What `getGenesisHash` answers: Solana devnet's genesis hash, whose first 32 characters are the CAIP-2 reference. */
export const SVM_DEVNET_GENESIS_HASH = 'EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG'

/** Where the devnet's USDC-like SPL Token mint lives: the address of Circle's USDC on the public devnet. */
export const SVM_DEVNET_USDC_MINT = '4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU'

/** The SPL Token program. */
export const SVM_TOKEN_PROGRAM_ADDRESS = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA'

/** The Token-2022 (Token Extensions) program. */
export const SVM_TOKEN_2022_PROGRAM_ADDRESS = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb'

/** The metadata of the devnet's two mints: USDC under SPL Token, USDC-2022 under Token-2022. */
export const SVM_DEVNET_MINTS = {
  usdc: { symbol: 'USDC', name: 'USD Coin', decimals: 6, tokenProgram: SVM_TOKEN_PROGRAM_ADDRESS },
  usdc2022: {
    symbol: 'USDC-2022',
    name: 'USD Coin (Token-2022)',
    decimals: 6,
    tokenProgram: SVM_TOKEN_2022_PROGRAM_ADDRESS,
  },
} as const

/** What every devnet Solana account starts with: 1,000 SOL in lamports. */
export const INITIAL_LAMPORTS = 1_000_000_000_000n

/**
 * How long a devnet Solana slot lasts by default. A blockhash is valid for 150 blocks, as on a real
 * cluster, so a transaction signed now can land for 2.5 minutes.
 */
export const DEFAULT_SVM_SLOT_MS = 1000
