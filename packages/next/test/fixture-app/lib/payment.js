// The paid site's resource server, configured entirely from the environment the test sets: the devnet's
// network, RPC URL and token, the facilitator's key (an in-process facilitator) and the merchant.
import { createFacilitator, createResourceServer } from '@open402/core'
import { exactEvmFacilitator, exactEvmServer } from '@open402/evm'
import { createPaymentWrapper } from '@open402/next'
import { privateKeyToAccount } from 'viem/accounts'

function env(name) {
  const value = process.env[name]
  if (!value) throw new Error(`the fixture app needs ${name}`)
  return value
}

const network = env('OPEN402_NETWORK')
const token = JSON.parse(env('OPEN402_TOKEN'))

const facilitator = createFacilitator({
  schemes: [
    exactEvmFacilitator({
      signer: privateKeyToAccount(env('OPEN402_FACILITATOR_KEY')),
      networks: { [network]: { rpcUrl: env('OPEN402_RPC_URL') } },
    }),
  ],
})
const server = createResourceServer({
  facilitator,
  schemes: [exactEvmServer({ assets: { [network]: token } })],
})

export const withPayment = createPaymentWrapper(server)

/** One devnet USDC offer at `price`, paid to the merchant. */
export function accepts(price) {
  return { scheme: 'exact', network, price, payTo: env('OPEN402_PAY_TO') }
}
