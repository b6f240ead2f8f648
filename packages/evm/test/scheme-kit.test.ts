// The living example of @open402/scheme-kit (its README's first example): the exact scheme on EVM runs
// the conformance cases every scheme must pass, against the devnet.
import { type Devnet, startDevnet, usdcLikeTokenAbi } from '@open402/devnet'
import { runSchemeConformance } from '@open402/scheme-kit'
import { type Address, createPublicClient, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { vi } from 'vitest'
import { exactEvmClient, exactEvmFacilitator, exactEvmServer } from '../src/index.js'

runSchemeConformance({
  name: 'exact on eip155 (devnet)',
  async setup() {
    const devnet: Devnet<'evm'> = await startDevnet({ chains: ['evm'] })
    const { network, rpcUrl, token, accounts } = devnet.evm
    const [separateKey, otherPayTo] = accounts.others
    if (!separateKey || !otherPayTo) throw new Error('the devnet has fewer than two others accounts')
    const assets = { [network]: token }
    const chain = createPublicClient({ transport: http(rpcUrl) })
    const facilitatorOn = (key: `0x${string}`) =>
      exactEvmFacilitator({ signer: privateKeyToAccount(key), networks: { [network]: { rpcUrl } } })
    return {
      network,
      client: exactEvmClient({ account: privateKeyToAccount(accounts.payer.privateKey), assets }),
      server: exactEvmServer({ assets }),
      facilitator: facilitatorOn(accounts.facilitator.privateKey),
      // Another facilitator service: its own key, its own memory; only the chain is shared.
      separateFacilitator: () => facilitatorOn(separateKey.privateKey),
      price: '$0.01',
      payTo: accounts.merchant.address,
      otherPayTo: otherPayTo.address,
      otherAsset: devnet.evm.multicall3, // any other contract: the authorization is signed for its domain
      otherNetwork: 'eip155:8453',
      balanceOf: (owner, asset) =>
        chain.readContract({
          address: asset as Address,
          abi: usdcLikeTokenAbi,
          functionName: 'balanceOf',
          args: [owner as Address],
        }),
      // An hour passes on the facilitator's clock (the authorization's validBefore is now + 300 s).
      async expire(payload) {
        vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 3600_000 })
        return { payload, restore: () => void vi.useRealTimers() }
      },
      expectedReasons: {
        amount: 'invalid_exact_evm_payload_authorization_value_mismatch',
        declaredAmount: 'invalid_exact_evm_payload_authorization_value_mismatch',
        payTo: 'invalid_exact_evm_payload_recipient_mismatch',
        declaredPayTo: 'invalid_exact_evm_payload_recipient_mismatch',
        asset: 'invalid_exact_evm_payload_signature',
        declaredAsset: 'invalid_exact_evm_asset_mismatch',
        network: 'invalid_network',
        expired: 'invalid_exact_evm_payload_authorization_valid_before',
        // A facilitator that did not verify the payment simulates before sending: refused, no gas paid.
        replay: 'invalid_exact_evm_nonce_already_used',
      },
      teardown: () => devnet.stop(),
    }
  },
})
