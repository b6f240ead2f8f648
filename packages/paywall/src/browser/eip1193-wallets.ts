/** An EIP-1193 provider: the `request` method is all the page uses. */
export interface Eip1193Provider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>
}

/** A browser EVM wallet: announced through EIP-6963, or the legacy `window.ethereum`. */
export interface EvmWallet {
  name: string
  icon?: string
  provider: Eip1193Provider
}

interface Eip6963Detail {
  info?: { name?: unknown; icon?: unknown }
  provider?: Eip1193Provider
}

function isProvider(value: unknown): value is Eip1193Provider {
  return typeof (value as Eip1193Provider | undefined)?.request === 'function'
}

/**
 * Finds EVM wallets: every EIP-6963 announcement (now and later), and `window.ethereum` when no announced
 * wallet is that same object. `onChange` gets the full list each time it grows.
 */
export function discoverEvmWallets(onChange: (wallets: EvmWallet[]) => void): void {
  const announced: EvmWallet[] = []
  const list = (): EvmWallet[] => {
    const injected = (window as { ethereum?: unknown }).ethereum
    const legacy =
      isProvider(injected) && !announced.some((wallet) => wallet.provider === injected)
        ? [{ name: 'Browser wallet', provider: injected }]
        : []
    return [...announced, ...legacy]
  }
  window.addEventListener('eip6963:announceProvider', (event) => {
    const detail = (event as CustomEvent<Eip6963Detail>).detail
    if (!isProvider(detail?.provider) || announced.some((w) => w.provider === detail.provider)) return
    const name =
      typeof detail.info?.name === 'string' && detail.info.name !== '' ? detail.info.name : 'Wallet'
    const icon = typeof detail.info?.icon === 'string' ? detail.info.icon : undefined
    announced.push({ name, provider: detail.provider, ...(icon === undefined ? {} : { icon }) })
    onChange(list())
  })
  window.dispatchEvent(new Event('eip6963:requestProvider'))
  onChange(list())
}
