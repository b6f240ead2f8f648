import { type EvmAssets, findEvmAsset } from '@open402/evm'
import { findSvmAsset, type SvmAssets } from '@open402/svm'
import { usageError } from './cli-error.js'
import { splitPair } from './parse-command-args.js'

/** Tokens given with `--asset <network>=<address>:<decimals>`, by network, for both chain families. */
export interface CliAssets {
  evm: EvmAssets
  svm: SvmAssets
}

/** Parses the `--asset` options (e.g. the devnet token `eip155:31337=0x5FbD…:6`). */
export function parseAssets(values: string[] | undefined): CliAssets {
  const assets: CliAssets = { evm: {}, svm: {} }
  for (const value of values ?? []) {
    const [network, spec] = splitPair('asset', value)
    const colon = spec.lastIndexOf(':')
    const address = colon > 0 ? spec.slice(0, colon) : ''
    const decimals = Number(spec.slice(colon + 1))
    if (address === '' || !Number.isInteger(decimals) || decimals < 0 || decimals > 36) {
      throw usageError(`--asset takes <network>=<address>:<decimals>, got ${value}`)
    }
    if (network.startsWith('eip155:')) {
      // The EIP-712 domain comes from each offer's `extra`; only the address and decimals are used here.
      assets.evm[network] = { address, decimals, name: '', version: '' }
    } else if (network.startsWith('solana:')) {
      assets.svm[network] = { address, decimals }
    } else {
      throw usageError(`--asset: network ${network} is neither eip155:* nor solana:*`)
    }
  }
  return assets
}

/** The decimals of `asset` on `network`, from `--asset` or the built-in USDC table; `undefined` if unknown. */
export function assetDecimals(assets: CliAssets, network: string, asset: string): number | undefined {
  if (network.startsWith('eip155:')) return findEvmAsset(network, asset, assets.evm)?.decimals
  if (network.startsWith('solana:')) return findSvmAsset(network, asset, assets.svm)?.decimals
  return undefined
}
