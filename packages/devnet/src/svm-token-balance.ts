import { type Address, getBase64Encoder } from '@solana/kit'
import type { DevnetDescription, DevnetSvmMint } from './devnet-description.js'
import { svmAssociatedTokenAddress } from './svm-genesis.js'
import { createSvmRpc, resolveSvmMint } from './svm-rpc.js'

const AMOUNT_OFFSET = 64

/**
 * The balance, in atomic units, of `owner`'s associated token account for a devnet mint (USDC under SPL
 * Token unless `mint` names another, by description or address); 0n when the account does not exist.
 *
 * @example
 * const before = await svmTokenBalance(devnet, devnet.svm.accounts.merchant.address)
 */
export async function svmTokenBalance(
  devnet: Pick<DevnetDescription, 'svm'>,
  owner: string,
  mint?: DevnetSvmMint | string,
): Promise<bigint> {
  const { address, tokenProgram } = await resolveSvmMint(devnet, mint)
  const ata = await svmAssociatedTokenAddress(owner, address, tokenProgram)
  const { value } = await createSvmRpc(devnet)
    .getAccountInfo(ata as Address, { encoding: 'base64', commitment: 'confirmed' })
    .send()
  if (value === null) return 0n
  const data = getBase64Encoder().encode(value.data[0])
  return new DataView(data.buffer, data.byteOffset, data.byteLength).getBigUint64(AMOUNT_OFFSET, true)
}
