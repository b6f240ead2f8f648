import { createPaymentClient, type PaymentClient } from '@open402/core'
import type { DevnetAccount, DevnetDescription } from '@open402/devnet'
import { exactEvmClient } from '@open402/evm/client'
import { wrapFetch } from '@open402/fetch'
import { privateKeyToAccount } from 'viem/accounts'
import type { PaidFetch } from '../paid-fetch.js'

/** An open402 payment client paying from `payer` with the exact EVM scheme (devnet token known for decimals). */
export function createOpen402Client(devnet: DevnetDescription, payer: DevnetAccount): PaymentClient {
  return createPaymentClient({
    schemes: [
      exactEvmClient({
        account: privateKeyToAccount(payer.privateKey),
        assets: { [devnet.evm.network]: devnet.evm.token },
      }),
    ],
  })
}

/** Node's fetch wrapped by `@open402/fetch` so it pays 402s from `payer`. */
export function createOpen402PaidFetch(devnet: DevnetDescription, payer: DevnetAccount): PaidFetch {
  return wrapFetch(fetch, createOpen402Client(devnet, payer))
}
