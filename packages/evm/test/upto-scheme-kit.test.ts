// The conformance cases of @open402/scheme-kit for the upto scheme, against the devnet. The kit settles
// with the offer's requirements, so every settlement here charges the full maximum; a charge below the
// maximum, of 0 and above the maximum are covered by upto.test.ts.
import { type Devnet, startDevnet, usdcLikeTokenAbi } from '@open402/devnet'
import { runSchemeConformance } from '@open402/scheme-kit'
import { type Address, createPublicClient, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { vi } from 'vitest'
import { uptoEvmClient, uptoEvmFacilitator, uptoEvmServer } from '../src/index.js'

runSchemeConformance({
  name: 'upto on eip155 (devnet)',
  async setup() {
    const devnet: Devnet<'evm'> = await startDevnet({ chains: ['evm'] })
    const { network, rpcUrl, token, accounts } = devnet.evm
    const [, otherPayTo] = accounts.others
    if (!otherPayTo) throw new Error('the devnet has fewer than two others accounts')
    const assets = { [network]: token }
    const chain = createPublicClient({ transport: http(rpcUrl) })
    // The payer names the settling facilitator in its signature, so "another instance of the service" runs
    // the same key with no shared memory.
    const facilitatorOn = () =>
      uptoEvmFacilitator({
        signer: privateKeyToAccount(accounts.facilitator.privateKey),
        networks: { [network]: { rpcUrl } },
      })
    return {
      network,
      client: uptoEvmClient({ account: privateKeyToAccount(accounts.payer.privateKey), assets }),
      server: uptoEvmServer({ assets }),
      facilitator: facilitatorOn(),
      separateFacilitator: facilitatorOn,
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
      async expire(payload) {
        vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 3600_000 })
        return { payload, restore: () => void vi.useRealTimers() }
      },
      expectedReasons: {
        // At settle requirements.amount is the charge: one unit more than the payer signed is above its maximum.
        amount: {
          verify: 'permit2_amount_mismatch',
          settle: 'invalid_upto_evm_payload_settlement_exceeds_amount',
        },
        declaredAmount: {
          verify: 'permit2_amount_mismatch',
          settle: 'invalid_upto_evm_payload_settlement_exceeds_amount',
        },
        payTo: 'invalid_permit2_recipient_mismatch',
        declaredPayTo: 'invalid_permit2_recipient_mismatch',
        asset: 'permit2_token_mismatch',
        declaredAsset: 'invalid_upto_evm_asset_mismatch',
        network: 'invalid_network',
        expired: 'permit2_deadline_expired',
        replay: 'permit2_invalid_nonce',
      },
      teardown: () => devnet.stop(),
    }
  },
})
