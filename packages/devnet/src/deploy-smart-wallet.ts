import { encodeDeployData, getAddress } from 'viem'
import { smartWalletAbi, smartWalletBytecode } from './artifacts/smart-wallet.js'
import { INITIAL_TOKEN_BALANCE } from './constants.js'
import type { DevnetDescription } from './devnet-description.js'
import { mintTokens } from './mint-tokens.js'
import { sendAsDeployer } from './send-as-deployer.js'

/**
 * Deploys an EIP-1271 contract wallet owned by `owner`, funds it with 1,000,000 USDC and returns its
 * address. The wallet accepts the owner's ECDSA signature over the EIP-712 digest itself, so a payment
 * from it is signed with the owner's key and sent through the token's `bytes signature` entry points.
 *
 * @example
 * const wallet = await deploySmartWallet(devnet, owner.address)
 */
export async function deploySmartWallet(
  devnet: Pick<DevnetDescription, 'evm'>,
  owner: `0x${string}`,
): Promise<`0x${string}`> {
  const { contractAddress } = await sendAsDeployer(devnet, {
    data: encodeDeployData({ abi: smartWalletAbi, bytecode: smartWalletBytecode, args: [owner] }),
  })
  if (contractAddress === null || contractAddress === undefined) {
    throw new Error('smart wallet deployment returned no contract address')
  }
  const address = getAddress(contractAddress)
  await mintTokens(devnet, address, INITIAL_TOKEN_BALANCE)
  return address
}
