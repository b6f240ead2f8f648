import type { PaymentRequirements } from '@open402/core'
import type { EvmChainParams } from '../paywall-data.js'
import type { Eip1193Provider } from './eip1193-wallets.js'
import { type TransferAuthorization, transferAuthorizationTypedData } from './transfer-authorization.js'
import { PaywallError, walletErrorCode } from './wallet-error.js'

/** The `payload` of an exact EVM payment. */
export interface ExactEvmPayload {
  signature: string
  authorization: TransferAuthorization
}

/** Progress the page announces while the wallet works. */
export type Progress = (message: string) => void

/**
 * Pays `requirements` with an EIP-1193 wallet: asks for the account, moves the wallet to the offer's chain
 * (adding it when the wallet answers 4902), and has it sign the EIP-3009 authorization.
 */
export async function createEvmPayment(
  provider: Eip1193Provider,
  requirements: PaymentRequirements,
  chain: EvmChainParams,
  progress: Progress,
): Promise<ExactEvmPayload> {
  const accounts = await provider.request({ method: 'eth_requestAccounts' })
  const from = Array.isArray(accounts) && typeof accounts[0] === 'string' ? accounts[0] : undefined
  if (from === undefined) throw new PaywallError('The wallet did not share an account.')
  await ensureChain(provider, chain, progress)
  const { authorization, typedData } = transferAuthorizationTypedData(requirements, from, chain.chainId)
  progress('Confirm the payment in your wallet…')
  const signature = await provider.request({ method: 'eth_signTypedData_v4', params: [from, typedData] })
  if (typeof signature !== 'string' || !/^0x[0-9a-fA-F]+$/.test(signature)) {
    throw new PaywallError('The wallet did not return a signature.')
  }
  return { signature, authorization }
}

async function ensureChain(provider: Eip1193Provider, chain: EvmChainParams, progress: Progress) {
  const current = await provider.request({ method: 'eth_chainId' })
  if (typeof current === 'string' && /^0x[0-9a-fA-F]+$/.test(current) && Number(current) === chain.chainId) {
    return
  }
  const chainId = `0x${chain.chainId.toString(16)}`
  progress(`Switching the wallet to ${chain.chainName}…`)
  try {
    await provider.request({ method: 'wallet_switchEthereumChain', params: [{ chainId }] })
  } catch (error) {
    if (walletErrorCode(error) !== 4902) throw error
    if (chain.rpcUrls.length === 0) {
      throw new PaywallError(
        `Your wallet does not know ${chain.chainName} (chain id ${chain.chainId}): add it to the wallet and try again.`,
      )
    }
    const { chainName, rpcUrls, nativeCurrency, blockExplorerUrls } = chain
    const added = {
      chainId,
      chainName,
      rpcUrls,
      nativeCurrency,
      ...(blockExplorerUrls ? { blockExplorerUrls } : {}),
    }
    await provider.request({ method: 'wallet_addEthereumChain', params: [added] })
    await provider.request({ method: 'wallet_switchEthereumChain', params: [{ chainId }] })
  }
}
