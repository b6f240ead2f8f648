// The examples of the x402 V2 specification (coinbase/x402, specs/x402-specification-v2.md), as test
// vectors: each must be accepted by the JSON Schema and by the zod schema of its type.

const requirements = {
  scheme: 'exact',
  network: 'eip155:84532',
  amount: '10000',
  asset: '0x036CbD53842c5426634e7929541eC2318f3dCF7e',
  payTo: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C',
  maxTimeoutSeconds: 60,
  extra: { name: 'USDC', version: '2' },
}

const resource = {
  url: 'https://api.example.com/premium-data',
  description: 'Access to premium market data',
  mimeType: 'application/json',
}

/** §5.1.1 */
export const paymentRequired = {
  x402Version: 2,
  error: 'PAYMENT-SIGNATURE header is required',
  resource,
  accepts: [requirements],
  extensions: {},
}

/** §5.2.1 */
export const paymentPayload = {
  x402Version: 2,
  resource,
  accepted: requirements,
  payload: {
    signature:
      '0x2d6a7588d6acca505cbf0d9a4a227e0c52c6c34008c8e8986a1283259764173608a2ce6496642e377d6da8dbbf5836e9bd15092f9ecab05ded3d6293af148b571c',
    authorization: {
      from: '0x857b06519E91e3A54538791bDbb0E22373e36b66',
      to: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C',
      value: '10000',
      validAfter: '1740672089',
      validBefore: '1740672154',
      nonce: '0xf3746613c2d920b5fdabc0856f2aeb2d4f88ee6037b8cc5d04a71a4462f13480',
    },
  },
  extensions: {},
}

/** §5.3.1 */
export const settleResponse = {
  success: true,
  transaction: '0x1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef',
  network: 'eip155:84532',
  payer: '0x857b06519E91e3A54538791bDbb0E22373e36b66',
}

/** §7.1 "Example with actual data": no top-level `x402Version`, only the payload's. */
export const verifyRequest = {
  paymentPayload: {
    x402Version: 2,
    resource,
    accepted: requirements,
    payload: {
      signature: '0x...',
      authorization: {
        from: '0x...',
        to: '0x...',
        value: '10000',
        validAfter: '1740672089',
        validBefore: '1740672154',
        nonce: '0x...',
      },
    },
  },
  paymentRequirements: requirements,
}

/** §7.1 successful response */
export const verifyValid = { isValid: true, payer: '0x857b06519E91e3A54538791bDbb0E22373e36b66' }

/** §7.1 error response */
export const verifyInvalid = {
  isValid: false,
  invalidReason: 'insufficient_funds',
  payer: '0x857b06519E91e3A54538791bDbb0E22373e36b66',
}

/** §7.2 successful response */
export const settleSuccess = {
  success: true,
  payer: '0x857b06519E91e3A54538791bDbb0E22373e36b66',
  transaction: '0x1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef',
  network: 'eip155:84532',
}

/** §7.2 error response */
export const settleFailure = {
  success: false,
  errorReason: 'insufficient_funds',
  payer: '0x857b06519E91e3A54538791bDbb0E22373e36b66',
  transaction: '',
  network: 'eip155:84532',
}

/** §7.3 */
export const supported = {
  kinds: [
    { x402Version: 2, scheme: 'exact', network: 'eip155:84532' },
    { x402Version: 2, scheme: 'exact', network: 'eip155:8453' },
    { x402Version: 2, scheme: 'exact', network: 'eip155:43113' },
    { x402Version: 2, scheme: 'exact', network: 'eip155:43114' },
  ],
  extensions: [],
  signers: {
    'eip155:*': ['0x1234567890abcdef1234567890abcdef12345678'],
    'solana:*': ['CKPKJWNdJEqa81x7CkZ14BVPiY6y16Sxs7owznqtWYp5'],
  },
}

/** §8.1: the listed item says `x402Version: 1` while its offer has the V2 shape, as in the spec. */
export const discoveryResources = {
  x402Version: 2,
  items: [
    {
      resource: 'https://api.example.com/premium-data',
      type: 'http',
      x402Version: 1,
      accepts: [requirements],
      lastUpdated: 1703123456,
      metadata: { category: 'finance', provider: 'Example Corp' },
    },
  ],
  pagination: { limit: 10, offset: 0, total: 1 },
}
