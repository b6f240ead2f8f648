// Each verify rule refuses with its own reason and a message saying what was wrong: one case per rule.
import { isErrorReason, type PaymentPayload, type PaymentRequirements } from '@open402/core'
import { describe, expect, test } from 'vitest'
import {
  __CAMEL__Client,
  __CAMEL__Facilitator,
  __SCREAMING___REASONS,
  createLedger,
  createLedgerAccount,
  LEDGER_USD,
} from '../src/index.js'

const payer = createLedgerAccount()
const merchant = createLedgerAccount()
const ledger = createLedger({ balances: { [LEDGER_USD.asset]: { [payer.address]: 1_000_000n } } })
const facilitator = __CAMEL__Facilitator({ ledger, signer: createLedgerAccount().address })
const requirements: PaymentRequirements = {
  scheme: '__NAME__',
  network: ledger.network,
  amount: '10000',
  asset: LEDGER_USD.asset,
  payTo: merchant.address,
  maxTimeoutSeconds: 60,
}

async function pay(terms: PaymentRequirements = requirements, account = payer): Promise<PaymentPayload> {
  const resource = { url: 'https://example.test/paid' }
  const payload = await __CAMEL__Client({ account }).createPayload(terms, { x402Version: 2, resource })
  return { x402Version: 2, resource, accepted: terms, payload }
}

function withAuthorization(payment: PaymentPayload, change: Record<string, string>): PaymentPayload {
  const authorization = { ...(payment.payload.authorization as Record<string, string>), ...change }
  return { ...payment, payload: { ...payment.payload, authorization } }
}

describe('__CAMEL__Facilitator.verify', () => {
  test('accepts a valid payment and moves nothing', async () => {
    const result = await facilitator.verify(await pay(), requirements)

    expect(result).toEqual({ isValid: true, payer: payer.address })
    expect(ledger.balanceOf(payer.address, LEDGER_USD.asset)).toBe(1_000_000n)
  })

  const cases: {
    rule: keyof typeof __SCREAMING___REASONS
    message: RegExp
    build: () => Promise<PaymentPayload>
  }[] = [
    {
      rule: 'scheme',
      message: /scheme must be "__NAME__"/,
      build: async () => ({ ...(await pay()), accepted: { ...requirements, scheme: 'other' } }),
    },
    {
      rule: 'network',
      message: /this facilitator serves ledger:local/,
      build: async () => ({ ...(await pay()), accepted: { ...requirements, network: 'ledger:other' } }),
    },
    {
      rule: 'payload',
      message: /payload.signature must be/,
      build: async () => ({ ...(await pay()), payload: { authorization: {} } }),
    },
    {
      rule: 'recipient',
      message: /the requirements' payTo is/,
      build: () => pay({ ...requirements, payTo: createLedgerAccount().address }),
    },
    { rule: 'asset', message: /ask for LUSD/, build: () => pay({ ...requirements, asset: 'LEUR' }) },
    {
      rule: 'amount',
      message: /amount 9999 does not equal the required amount 10000/,
      build: () => pay({ ...requirements, amount: '9999' }),
    },
    {
      rule: 'expired',
      message: /expired at/,
      build: async () => withAuthorization(await pay(), { validBefore: String(ledger.now() - 1) }),
    },
    {
      rule: 'signature',
      message: /is not .*'s signature of this authorization/,
      build: async () => withAuthorization(await pay(), { nonce: crypto.randomUUID() }),
    },
    {
      rule: 'replay',
      message: /is already spent/,
      build: async () => {
        const payment = await pay()
        expect(await facilitator.settle(payment, requirements)).toMatchObject({ success: true })
        return payment
      },
    },
    {
      rule: 'balance',
      message: /holds 0 LUSD, less than the 10000 required/,
      build: () => pay(requirements, createLedgerAccount()),
    },
  ]

  test.each(cases.map((entry) => [entry.rule, entry] as const))(
    "refuses with the %s rule's reason",
    async (rule, entry) => {
      const result = await facilitator.verify(await entry.build(), requirements)

      expect(result.isValid).toBe(false)
      expect(result.invalidReason).toBe(__SCREAMING___REASONS[rule])
      expect(result.invalidMessage).toMatch(entry.message)
    },
  )

  test("every rule has a case, and every reason is in core's registry", () => {
    expect(cases.map((entry) => entry.rule).sort()).toEqual(Object.keys(__SCREAMING___REASONS).sort())
    for (const reason of Object.values(__SCREAMING___REASONS)) expect(isErrorReason(reason)).toBe(true)
  })
})
