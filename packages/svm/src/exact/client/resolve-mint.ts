import { X402Error } from '@open402/core'
import { type Address, getBase64Encoder, type Rpc, type SolanaRpcApi } from '@solana/kit'
import { findSvmAsset } from '../../networks/resolve-asset.js'
import type { SvmAssets } from '../../networks/svm-asset.js'
import { isTokenProgram, TOKEN_PROGRAM } from '../../shared/programs.js'

/** What the client must know about a mint to transfer it. */
export interface MintInfo {
  decimals: number
  tokenProgram: Address
}

// SPL Token's Mint layout (shared by Token-2022): mint authority (36), supply (8), decimals (1), initialized (1).
const DECIMALS_OFFSET = 44
const INITIALIZED_OFFSET = 45
const MINT_SIZE = 82

/**
 * The decimals and token program of `mint`: from the built-in or configured assets without RPC, else from
 * one `getAccountInfo` (the account's owner is the token program). Results are cached by the caller.
 */
export async function resolveMint(
  rpc: () => Rpc<SolanaRpcApi>,
  network: string,
  mint: Address,
  assets: SvmAssets | undefined,
): Promise<MintInfo> {
  const known = findSvmAsset(network, mint, assets)
  if (known)
    return { decimals: known.decimals, tokenProgram: (known.tokenProgram ?? TOKEN_PROGRAM) as Address }
  const { value } = await rpc().getAccountInfo(mint, { encoding: 'base64' }).send()
  if (!value) {
    throw new X402Error('invalid_config', `mint ${mint} does not exist on ${network}`)
  }
  if (!isTokenProgram(value.owner)) {
    throw new X402Error(
      'invalid_config',
      `account ${mint} on ${network} is owned by ${value.owner}, not by SPL Token or Token-2022: it is not a mint`,
    )
  }
  const data = getBase64Encoder().encode(value.data[0])
  const decimals = data[DECIMALS_OFFSET]
  if (data.length < MINT_SIZE || decimals === undefined || data[INITIALIZED_OFFSET] !== 1) {
    throw new X402Error('invalid_config', `account ${mint} on ${network} is not an initialized mint`)
  }
  return { decimals, tokenProgram: value.owner }
}
