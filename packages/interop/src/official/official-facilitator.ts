import type { DevnetDescription } from '@open402/devnet'
import { devnetChain } from '@open402/devnet'
import { x402Facilitator } from '@x402/core/facilitator'
import { toFacilitatorEvmSigner } from '@x402/evm'
import { registerExactEvmScheme } from '@x402/evm/exact/facilitator'
import { createWalletClient, http, publicActions } from 'viem'
import { nonceManager, privateKeyToAccount } from 'viem/accounts'

/**
 * The official `x402Facilitator` with the official EVM exact scheme, signing with `privateKey` on the devnet.
 * The account uses viem's nonce manager so concurrent settlements do not reuse a nonce.
 */
export function createOfficialFacilitator(
  devnet: DevnetDescription,
  privateKey: `0x${string}`,
): x402Facilitator {
  const account = privateKeyToAccount(privateKey, { nonceManager })
  const wallet = createWalletClient({
    account,
    chain: devnetChain(devnet),
    transport: http(devnet.evm.rpcUrl),
  }).extend(publicActions)
  // The official signer type is structural; viem's stricter generics need a cast at this seam only.
  const signer = toFacilitatorEvmSigner({
    address: account.address,
    getCode: (args) => wallet.getCode(args),
    readContract: (args) => wallet.readContract({ ...args, args: args.args ?? [] } as never),
    verifyTypedData: (args) => wallet.verifyTypedData(args as never),
    writeContract: (args) => wallet.writeContract({ ...args, args: args.args ?? [] } as never),
    sendTransaction: (args) => wallet.sendTransaction(args),
    waitForTransactionReceipt: (args) => wallet.waitForTransactionReceipt(args),
  })
  return registerExactEvmScheme(new x402Facilitator(), { signer, networks: devnet.evm.network })
}
