import { type Caip2, type SchemeClient, X402Error } from '@open402/core'
import { type LedgerAccount, signMessage } from '../ledger/ledger-account.js'
import {
  type __PASCAL__Authorization,
  type __PASCAL__Payload,
  __SCREAMING___SCHEME,
  authorizationMessage,
} from '../shared/__NAME__-payload.js'
import { LEDGER_USD } from '../shared/ledger-assets.js'

/** Options of {@link __CAMEL__Client}. */
export interface __PASCAL__ClientOptions {
  /** Who pays. TODO(real chain): the chain's signer (a viem account, a Kit signer). */
  account: LedgerAccount
}

/**
 * The client part of the `__NAME__` scheme on `ledger:*`: signs an authorization to pay exactly the
 * required amount to `payTo`, once, before `now + maxTimeoutSeconds`.
 * @example createPaymentClient({ schemes: [__CAMEL__Client({ account: createLedgerAccount() })] })
 */
export function __CAMEL__Client(options: __PASCAL__ClientOptions): SchemeClient {
  const { account } = options
  return {
    scheme: __SCREAMING___SCHEME,
    network: 'ledger:*',
    payer: (_network: Caip2) => account.address,
    decimals: (_network: Caip2, asset: string) =>
      asset === LEDGER_USD.asset ? LEDGER_USD.decimals : undefined,
    async createPayload(requirements) {
      if (!/^(0|[1-9][0-9]*)$/.test(requirements.amount)) {
        throw new X402Error(
          'invalid_config',
          `requirements.amount must be atomic units as a decimal string, got ${JSON.stringify(requirements.amount)}`,
        )
      }
      const authorization: __PASCAL__Authorization = {
        from: account.address,
        to: requirements.payTo,
        asset: requirements.asset,
        amount: requirements.amount,
        nonce: crypto.randomUUID(),
        validBefore: String(Math.floor(Date.now() / 1000) + requirements.maxTimeoutSeconds),
      }
      // TODO(real chain): sign what the chain verifies (typed data, a transaction) with the chain's signer.
      const signature = signMessage(account, authorizationMessage(requirements.network, authorization))
      const payload: __PASCAL__Payload = { authorization, signature }
      return { ...payload }
    },
  }
}
