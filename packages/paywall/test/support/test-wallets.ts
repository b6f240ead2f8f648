// Test wallets for the browser: an EIP-1193 provider (window.ethereum, also announced through EIP-6963)
// and a Wallet Standard Solana wallet. Each is a thin page-side shim whose requests are answered in Node
// by `page.exposeFunction`, where a devnet key signs, and every request is recorded for the assertions.
import {
  createKeyPairFromBytes,
  getAddressFromPublicKey,
  getBase58Encoder,
  getBase64EncodedWireTransaction,
  getTransactionDecoder,
  partiallySignTransaction,
} from '@solana/kit'
import type { Page } from 'playwright-core'
import type { LocalAccount, TypedDataDomain } from 'viem'

export interface WalletCall {
  method: string
  params: unknown
}

type Answer = { result: unknown } | { error: { code: number; message: string } }

/** The EIP-1193 test wallet: on `startChainId`, knows only `knownChains` until one is added. */
export async function installEvmTestWallet(
  page: Page,
  account: LocalAccount,
  options: { startChainId: number; knownChains: number[] },
): Promise<WalletCall[]> {
  const calls: WalletCall[] = []
  const known = new Set(options.knownChains)
  let chainId = options.startChainId
  const hex = (id: number) => `0x${id.toString(16)}`
  await page.exposeFunction('__x402EvmWallet', async (method: string, params: unknown[]): Promise<Answer> => {
    calls.push({ method, params })
    switch (method) {
      case 'eth_requestAccounts':
      case 'eth_accounts':
        return { result: [account.address] }
      case 'eth_chainId':
        return { result: hex(chainId) }
      case 'wallet_switchEthereumChain': {
        const target = Number((params[0] as { chainId: string }).chainId)
        if (!known.has(target)) return { error: { code: 4902, message: `Unrecognized chain ${hex(target)}` } }
        chainId = target
        return { result: null }
      }
      case 'wallet_addEthereumChain':
        known.add(Number((params[0] as { chainId: string }).chainId))
        return { result: null }
      case 'eth_signTypedData_v4': {
        const [from, json] = params as [string, string]
        if (from.toLowerCase() !== account.address.toLowerCase()) {
          return { error: { code: 4100, message: `unknown account ${from}` } }
        }
        return { result: await signTypedDataJson(account, json) }
      }
      default:
        return { error: { code: 4200, message: `${method} is not supported by the test wallet` } }
    }
  })
  await page.addInitScript(() => {
    type Bridge = (method: string, params: unknown[]) => Promise<Answer>
    const bridge = (window as unknown as { __x402EvmWallet: Bridge }).__x402EvmWallet
    const provider = {
      isTestWallet: true,
      async request({ method, params }: { method: string; params?: unknown[] }) {
        const answer = await bridge(method, params ?? [])
        if ('error' in answer)
          throw Object.assign(new Error(answer.error.message), { code: answer.error.code })
        return answer.result
      },
    }
    ;(window as unknown as { ethereum: unknown }).ethereum = provider
    const info = Object.freeze({
      uuid: '5b8a0e2c-4a43-4c1e-9a55-1f0c2d5c8a11',
      name: 'Test EVM Wallet',
      icon: 'data:image/svg+xml,%3Csvg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 20"%3E%3Ccircle cx="10" cy="10" r="9" fill="%23f6851b"/%3E%3C/svg%3E',
      rdns: 'dev.open402.test-wallet',
    })
    const announce = () =>
      window.dispatchEvent(
        new CustomEvent('eip6963:announceProvider', { detail: Object.freeze({ info, provider }) }),
      )
    window.addEventListener('eip6963:requestProvider', announce)
    announce()
  })
  return calls
}

/** Signs `eth_signTypedData_v4` JSON as a wallet does: integer fields may be decimal or hex strings. */
async function signTypedDataJson(account: LocalAccount, json: string): Promise<string> {
  const typedData = JSON.parse(json) as {
    types: Record<string, { name: string; type: string }[]>
    primaryType: string
    domain: Record<string, unknown>
    message: Record<string, unknown>
  }
  const { EIP712Domain: _domainType, ...types } = typedData.types
  const message: Record<string, unknown> = {}
  for (const field of types[typedData.primaryType] ?? []) {
    const value = typedData.message[field.name]
    message[field.name] = /^u?int\d*$/.test(field.type) ? BigInt(value as string) : value
  }
  const domain = { ...typedData.domain, chainId: Number(typedData.domain.chainId) } as TypedDataDomain
  return account.signTypedData({ domain, types, primaryType: typedData.primaryType, message })
}

/** The Wallet Standard test wallet: one account from a base58 devnet secret key, on `solana:devnet`. */
export async function installSolanaTestWallet(page: Page, secretKey: string): Promise<WalletCall[]> {
  const calls: WalletCall[] = []
  const keyPair = await createKeyPairFromBytes(getBase58Encoder().encode(secretKey))
  const address = await getAddressFromPublicKey(keyPair.publicKey)
  await page.exposeFunction(
    '__x402SolanaWallet',
    async (method: string, input: { transaction: string; chain?: string } | null) => {
      calls.push({ method, params: input })
      if (method === 'connect') return address
      if (method !== 'signTransaction' || input === null) throw new Error(`unknown method ${method}`)
      const transaction = getTransactionDecoder().decode(Buffer.from(input.transaction, 'base64'))
      return getBase64EncodedWireTransaction(await partiallySignTransaction([keyPair], transaction))
    },
  )
  await page.addInitScript(() => {
    type Bridge = (method: string, input: { transaction: string; chain?: string } | null) => Promise<string>
    const bridge = (window as unknown as { __x402SolanaWallet: Bridge }).__x402SolanaWallet
    const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes))
    const fromBase64 = (text: string) => Uint8Array.from(atob(text), (char) => char.charCodeAt(0))
    const chains = ['solana:devnet'] as const
    let accounts: {
      address: string
      publicKey: Uint8Array
      chains: readonly string[]
      features: string[]
    }[] = []
    const wallet = {
      version: '1.0.0',
      name: 'Test Solana Wallet',
      icon: 'data:image/svg+xml,%3Csvg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 20"%3E%3Crect width="20" height="20" rx="4" fill="%239945ff"/%3E%3C/svg%3E',
      chains,
      get accounts() {
        return accounts
      },
      features: {
        'standard:connect': {
          version: '1.0.0',
          async connect() {
            const address = await bridge('connect', null)
            accounts = [
              { address, publicKey: new Uint8Array(32), chains, features: ['solana:signTransaction'] },
            ]
            return { accounts }
          },
        },
        'standard:events': { version: '1.0.0', on: () => () => {} },
        'solana:signTransaction': {
          version: '1.0.0',
          supportedTransactionVersions: ['legacy', 0],
          signTransaction: (...inputs: { transaction: Uint8Array; chain?: string }[]) =>
            Promise.all(
              inputs.map(async (input) => ({
                signedTransaction: fromBase64(
                  await bridge('signTransaction', {
                    transaction: toBase64(input.transaction),
                    ...(input.chain ? { chain: input.chain } : {}),
                  }),
                ),
              })),
            ),
        },
      },
    }
    const register = (api: { register(wallet: unknown): unknown }) => api.register(wallet)
    window.addEventListener('wallet-standard:app-ready', (event) =>
      register((event as CustomEvent<{ register(wallet: unknown): unknown }>).detail),
    )
    window.dispatchEvent(new CustomEvent('wallet-standard:register-wallet', { detail: register }))
  })
  return calls
}
