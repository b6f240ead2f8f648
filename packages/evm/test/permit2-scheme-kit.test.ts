// The conformance cases of @open402/scheme-kit for the exact scheme paying through Permit2
// (`assetTransferMethod: "permit2"`, configured per asset on the server part), against the devnet.
import { type Devnet, startDevnet, usdcLikeTokenAbi } from '@open402/devnet'
import { runSchemeConformance } from '@open402/scheme-kit'
import { type Address, createPublicClient, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { vi } from 'vitest'
import { exactEvmClient, exactEvmFacilitator, exactEvmServer } from '../src/index.js'

runSchemeConformance({
  name: 'exact with Permit2 on eip155 (devnet)',
  async setup() {
    const devnet: Devnet<'evm'> = await startDevnet({ chains: ['evm'] })
    const { network, rpcUrl, token, accounts } = devnet.evm
    const [separateKey, otherPayTo] = accounts.others
    if (!separateKey || !otherPayTo) throw new Error('the devnet has fewer than two others accounts')
    const assets = { [network]: { ...token, assetTransferMethod: 'permit2' as const } }
    const chain = createPublicClient({ transport: http(rpcUrl) })
    const facilitatorOn = (key: `0x${string}`) =>
      exactEvmFacilitator({ signer: privateKeyToAccount(key), networks: { [network]: { rpcUrl } } })
    return {
      network,
      client: exactEvmClient({ account: privateKeyToAccount(accounts.payer.privateKey), assets }),
      server: exactEvmServer({ assets }),
      facilitator: facilitatorOn(accounts.facilitator.privateKey),
      separateFacilitator: () => facilitatorOn(separateKey.privateKey),
      price: '$0.01',
      payTo: accounts.merchant.address,
      otherPayTo: otherPayTo.address,
      otherAsset: devnet.evm.multicall3,
      otherNetwork: 'eip155:8453',
      balanceOf: (owner, asset) =>
        chain.readContract({
          address: asset as Address,
          abi: usdcLikeTokenAbi,
          functionName: 'balanceOf',
          args: [owner as Address],
        }),
      // An hour passes on the facilitator's clock (the deadline is now + 300 s).
      async expire(payload) {
        vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 3600_000 })
        return { payload, restore: () => void vi.useRealTimers() }
      },
      expectedReasons: {
        amount: 'permit2_amount_mismatch',
        declaredAmount: 'permit2_amount_mismatch',
        payTo: 'invalid_permit2_recipient_mismatch',
        declaredPayTo: 'invalid_permit2_recipient_mismatch',
        asset: 'permit2_token_mismatch',
        declaredAsset: 'invalid_exact_evm_asset_mismatch',
        network: 'invalid_network',
        expired: 'permit2_deadline_expired',
        replay: 'permit2_invalid_nonce',
      },
      teardown: () => devnet.stop(),
    }
  },
})
