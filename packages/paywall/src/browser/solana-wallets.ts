/** A Wallet Standard account, as far as the page uses it. */
export interface StandardAccount {
  address: string
  chains?: readonly string[]
}

interface ConnectFeature {
  connect(input?: { silent?: boolean }): Promise<{ accounts: readonly StandardAccount[] }>
}

interface SignTransactionFeature {
  supportedTransactionVersions?: readonly (number | string)[]
  signTransaction(
    ...inputs: { account: StandardAccount; transaction: Uint8Array; chain?: string }[]
  ): Promise<readonly { signedTransaction: Uint8Array }[]>
}

/** A Wallet Standard wallet that can connect and sign Solana transactions. */
export interface SolanaWallet {
  name: string
  icon?: string
  chains: readonly string[]
  /** Connects (asks the person once) and returns the paying account. */
  connect(): Promise<StandardAccount>
  /** Whether the wallet signs v0 transactions (else the payment is built as a legacy transaction). */
  supportsV0: boolean
  signTransaction(account: StandardAccount, transaction: Uint8Array, chain?: string): Promise<Uint8Array>
}

interface StandardWallet {
  name?: unknown
  icon?: unknown
  chains?: unknown
  features?: Record<string, unknown>
}

function toSolanaWallet(wallet: StandardWallet): SolanaWallet | undefined {
  const connect = wallet.features?.['standard:connect'] as ConnectFeature | undefined
  const sign = wallet.features?.['solana:signTransaction'] as SignTransactionFeature | undefined
  const chains = Array.isArray(wallet.chains) ? (wallet.chains as string[]) : []
  if (typeof connect?.connect !== 'function' || typeof sign?.signTransaction !== 'function') return undefined
  if (!chains.some((chain) => typeof chain === 'string' && chain.startsWith('solana:'))) return undefined
  const versions = sign.supportedTransactionVersions ?? ['legacy']
  return {
    name: typeof wallet.name === 'string' && wallet.name !== '' ? wallet.name : 'Solana wallet',
    ...(typeof wallet.icon === 'string' ? { icon: wallet.icon } : {}),
    chains,
    supportsV0: versions.includes(0),
    async connect() {
      const { accounts } = await connect.connect()
      const account = accounts[0]
      if (!account) throw new Error('The wallet did not share an account.')
      return account
    },
    async signTransaction(account, transaction, chain) {
      const [output] = await sign.signTransaction({ account, transaction, ...(chain ? { chain } : {}) })
      if (!(output?.signedTransaction instanceof Uint8Array)) {
        throw new Error('The wallet did not return a signed transaction.')
      }
      return output.signedTransaction
    },
  }
}

/**
 * Finds Solana wallets through the Wallet Standard's window events: answers `wallet-standard:register-wallet`
 * from wallets loaded later, and announces `wallet-standard:app-ready` for the ones already there.
 * `onChange` gets the full list each time it grows.
 */
export function discoverSolanaWallets(onChange: (wallets: SolanaWallet[]) => void): void {
  const seen = new Set<StandardWallet>()
  const wallets: SolanaWallet[] = []
  const api = Object.freeze({
    register(...registered: StandardWallet[]) {
      let grew = false
      for (const wallet of registered) {
        if (seen.has(wallet)) continue
        seen.add(wallet)
        const solana = toSolanaWallet(wallet)
        if (solana) {
          wallets.push(solana)
          grew = true
        }
      }
      if (grew) onChange([...wallets])
      return () => {}
    },
  })
  window.addEventListener('wallet-standard:register-wallet', (event) => {
    const callback = (event as CustomEvent<unknown>).detail
    if (typeof callback === 'function') callback(api)
  })
  window.dispatchEvent(new CustomEvent('wallet-standard:app-ready', { detail: api }))
  onChange([...wallets])
}
