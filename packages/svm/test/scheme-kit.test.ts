// The exact scheme on Solana runs the conformance cases every scheme must pass (@open402/scheme-kit),
// against the devnet.
import { type Devnet, startDevnet, svmTokenBalance } from '@open402/devnet'
import { runSchemeConformance } from '@open402/scheme-kit'
import { createSolanaRpc } from '@solana/kit'
import { exactSvmClient, exactSvmFacilitator, exactSvmServer } from '../src/index.js'
import { signerOf } from './helpers.js'

// Fast slots, so a blockhash expires (150 slots) in 3 s instead of 2.5 minutes; still far longer than
// any case takes between signing a payment and settling it.
const SLOT_MS = 20

runSchemeConformance({
  name: 'exact on solana (devnet)',
  async setup() {
    const devnet: Devnet<'svm'> = await startDevnet({ chains: ['svm'], svmSlotMs: SLOT_MS })
    const { network, rpcUrl, accounts, mint2022 } = devnet.svm
    const rpc = createSolanaRpc(rpcUrl)
    const facilitatorPart = async () =>
      exactSvmFacilitator({
        signers: [await signerOf(accounts.facilitator)],
        networks: { [network]: { rpcUrl } },
        pollIntervalMs: 50,
      })
    const otherPayTo = accounts.others[0]?.address
    if (!otherPayTo) throw new Error('the devnet has no others[0] account')
    return {
      network,
      client: exactSvmClient({ signer: await signerOf(accounts.payer), rpc: { [network]: rpcUrl } }),
      server: exactSvmServer(),
      facilitator: await facilitatorPart(),
      // Another instance of the facilitator service (the fee payer is named in the transaction, so the same
      // key) with its own memory; only the chain is shared.
      separateFacilitator: facilitatorPart,
      price: '$0.01',
      payTo: accounts.merchant.address,
      otherPayTo,
      otherAsset: mint2022.address,
      otherNetwork: 'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp',
      balanceOf: (owner, asset) => svmTokenBalance(devnet, owner, asset),
      // Time passes on the chain: wait until the payment's blockhash is no longer valid (150 slots).
      async expire(payload) {
        const { value } = await rpc.getLatestBlockhash({ commitment: 'confirmed' }).send()
        while ((await rpc.getBlockHeight({ commitment: 'confirmed' }).send()) <= value.lastValidBlockHeight) {
          await new Promise((resolve) => setTimeout(resolve, 10 * SLOT_MS))
        }
        return { payload }
      },
      expectedReasons: {
        amount: 'invalid_exact_svm_payload_amount_mismatch',
        declaredAmount: 'invalid_exact_svm_payload_amount_mismatch',
        payTo: 'invalid_exact_svm_payload_recipient_mismatch',
        declaredPayTo: 'invalid_exact_svm_recipient_mismatch',
        asset: 'invalid_exact_svm_payload_mint_mismatch',
        declaredAsset: 'invalid_exact_svm_asset_mismatch',
        network: 'invalid_network',
        expired: 'transaction_simulation_failed', // BlockhashNotFound
        // Verify simulates (AlreadyProcessed); settle finds the signature already on chain.
        replay: { verify: 'transaction_simulation_failed', settle: 'duplicate_settlement' },
      },
      teardown: () => devnet.stop(),
    }
  },
})
