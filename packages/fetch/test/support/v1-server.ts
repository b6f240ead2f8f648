// An x402 V1 server over real HTTP for the fetch and axios client tests: it answers V1 402 bodies, checks
// nothing on chain, and answers a paid request with a fixed X-PAYMENT-RESPONSE. Paying an official
// x402-express 1.x server on the devnet is in packages/interop/test/v1-express.test.ts.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type Hex, recoverTypedDataAddress } from 'viem'
import { TRANSFER_WITH_AUTHORIZATION_TYPES } from '../../../evm/src/shared/transfer-with-authorization.js'

export const V1_PAY_TO = '0x209693Bc6afc0C5328bA36FaF03C514EF312287C'
export const BASE_SEPOLIA_USDC = '0x036CbD53842c5426634e7929541eC2318f3dCF7e'
export const V1_TRANSACTION = `0x${'ab'.repeat(32)}`

/** A V1 offer of 10000 units of Base Sepolia USDC; `fields` override. */
export const v1Offer = (fields: Record<string, unknown> = {}) => ({
  scheme: 'exact',
  network: 'base-sepolia',
  maxAmountRequired: '10000',
  resource: 'http://127.0.0.1/report',
  description: 'A report',
  mimeType: 'application/json',
  payTo: V1_PAY_TO,
  maxTimeoutSeconds: 60,
  asset: BASE_SEPOLIA_USDC,
  extra: { name: 'USDC', version: '2' },
  ...fields,
})

/** One request the server saw. */
export interface V1Request {
  path: string
  xPayment: string | undefined
  body: string
}

/**
 * Paths: `/report` and `/echo` are paid ($0.01; a paid request gets `{ received: <body text> }`),
 * `/stubborn` answers 402 even when paid, `/premium` costs $0.50, `/elsewhere` is on an unknown V1 network,
 * `/garbled` has a malformed offer, anything else is a 402 in HTML.
 */
export async function startV1Server() {
  const received: V1Request[] = []
  const server = createServer(async (req, res) => {
    let body = ''
    for await (const chunk of req) body += chunk
    const path = req.url ?? ''
    const xPayment = req.headers['x-payment'] as string | undefined
    received.push({ path, xPayment, body })
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
      res.end(JSON.stringify(value))
    }
    const required = (accepts: unknown[]) =>
      json(402, { x402Version: 1, error: 'X-PAYMENT header is required', accepts })
    if ((path === '/report' || path === '/echo') && xPayment) {
      const { payload } = JSON.parse(Buffer.from(xPayment, 'base64').toString('utf8'))
      const settlement = {
        success: true,
        transaction: V1_TRANSACTION,
        network: 'base-sepolia',
        payer: payload.authorization.from,
      }
      return json(200, path === '/echo' ? { received: body } : { report: 'sunny' }, {
        'X-PAYMENT-RESPONSE': Buffer.from(JSON.stringify(settlement)).toString('base64'),
      })
    }
    if (path === '/report' || path === '/echo' || path === '/stubborn') return required([v1Offer()])
    if (path === '/premium') return required([v1Offer({ maxAmountRequired: '500000' })])
    if (path === '/elsewhere') return required([v1Offer({ network: 'kairos-testnet' })])
    if (path === '/garbled') return required([{ scheme: 'exact', network: 'base-sepolia' }])
    res.writeHead(402, { 'content-type': 'text/html' })
    res.end('<p>{"x402Version":1} pay on our website</p>')
  })
  const url = await new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  )
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

/** The signer of a V1 exact EVM payment sent in X-PAYMENT, recovered for Base Sepolia USDC's domain. */
export function recoverV1Signer(payment: {
  payload: { signature: string; authorization: Record<string, string> }
}): Promise<string> {
  const { authorization, signature } = payment.payload
  return recoverTypedDataAddress({
    domain: { name: 'USDC', version: '2', chainId: 84532, verifyingContract: BASE_SEPOLIA_USDC },
    types: TRANSFER_WITH_AUTHORIZATION_TYPES,
    primaryType: 'TransferWithAuthorization',
    message: {
      from: authorization.from as Hex,
      to: authorization.to as Hex,
      value: BigInt(authorization.value ?? ''),
      validAfter: BigInt(authorization.validAfter ?? ''),
      validBefore: BigInt(authorization.validBefore ?? ''),
      nonce: authorization.nonce as Hex,
    },
    signature: signature as Hex,
  })
}
