// The conformance cases every x402 scheme must pass (@open402/scheme-kit), run on the in-memory ledger.
// TODO(real chain): start a local chain in setup (a child process, like @open402/devnet's EVM and Solana
// nodes), fund the accounts there, read balances from it, and stop it in teardown.
import { runSchemeConformance } from '@open402/scheme-kit'
import {
  __CAMEL__Client,
  __CAMEL__Facilitator,
  __CAMEL__Server,
  createLedger,
  createLedgerAccount,
  LEDGER_USD,
} from '../src/index.js'

runSchemeConformance({
  name: '__NAME__ on ledger:local (in memory)',
  async setup() {
    const payer = createLedgerAccount()
    const [merchant, otherPayTo, facilitatorKey, separateKey] = [1, 2, 3, 4].map(() => createLedgerAccount())
    if (!merchant || !otherPayTo || !facilitatorKey || !separateKey)
      throw new Error('accounts were not created')
    const otherAsset = 'LEUR'
    const ledger = createLedger({
      balances: {
        [LEDGER_USD.asset]: { [payer.address]: 1_000_000_000n },
        [otherAsset]: { [payer.address]: 1_000_000_000n },
      },
    })
    return {
      network: ledger.network,
      client: __CAMEL__Client({ account: payer }),
      server: __CAMEL__Server(),
      facilitator: __CAMEL__Facilitator({ ledger, signer: facilitatorKey.address }),
      // Another facilitator instance: its own signer and memory; only the ledger (the chain) is shared.
      separateFacilitator: () => __CAMEL__Facilitator({ ledger, signer: separateKey.address }),
      price: '$0.01',
      payTo: merchant.address,
      otherPayTo: otherPayTo.address,
      otherAsset,
      balanceOf: async (owner, asset) => ledger.balanceOf(owner, asset),
      // An hour passes on the ledger's clock (the authorization is valid for maxTimeoutSeconds).
      async expire(payload) {
        return { payload, restore: ledger.advanceClock(3600) }
      },
      expectedReasons: {
        amount: 'payment_requirements_mismatch',
        declaredAmount: 'payment_requirements_mismatch',
        payTo: 'payment_requirements_mismatch',
        declaredPayTo: 'payment_requirements_mismatch',
        asset: 'payment_requirements_mismatch',
        declaredAsset: 'payment_requirements_mismatch',
        network: 'invalid_network',
        expired: 'invalid_transaction_state',
        replay: 'duplicate_settlement',
      },
    }
  },
})
