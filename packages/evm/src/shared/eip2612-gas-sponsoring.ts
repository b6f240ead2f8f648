import { EIP2612_GAS_SPONSORING } from './permit2.js'

/**
 * The `eip2612GasSponsoring` declaration for a route's `extensions`: Permit2 payments on the route may carry
 * the payer's EIP-2612 permit for Permit2, which the facilitator submits in the settlement transaction, so a
 * payer without an allowance for Permit2 pays without sending a transaction of its own.
 * @example createResourceServer({ … }) with a route `{ accepts, extensions: declareEip2612GasSponsoring() }`
 */
export function declareEip2612GasSponsoring(): Record<string, unknown> {
  return {
    [EIP2612_GAS_SPONSORING]: {
      info: {
        description:
          'The facilitator submits an EIP-2612 permit for Permit2 with the payment, so the payer needs no approval transaction',
        version: '1',
      },
      schema: {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        properties: {
          from: { type: 'string', pattern: '^0x[a-fA-F0-9]{40}$' },
          asset: { type: 'string', pattern: '^0x[a-fA-F0-9]{40}$' },
          spender: { type: 'string', pattern: '^0x[a-fA-F0-9]{40}$' },
          amount: { type: 'string', pattern: '^[0-9]+$' },
          nonce: { type: 'string', pattern: '^[0-9]+$' },
          deadline: { type: 'string', pattern: '^[0-9]+$' },
          signature: { type: 'string', pattern: '^0x[a-fA-F0-9]+$' },
          version: { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)*$' },
        },
        required: ['from', 'asset', 'spender', 'amount', 'nonce', 'deadline', 'signature', 'version'],
      },
    },
  }
}
