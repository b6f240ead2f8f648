import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createPaymentClient, isX402Error, maxAmount } from '@open402/core'
import { exactEvmClient } from '@open402/evm/client'
import axios, { isAxiosError } from 'axios'
import { type Hex, recoverTypedDataAddress } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { getPaymentResponse, withPayments } from './index.js'

// withPayments against an x402 V1 server over real HTTP. This one checks the X-PAYMENT signature offline and
// answers a fixed settlement; an official x402-express 1.x server paid on the devnet is in
// packages/interop/test/v1-express.test.ts.

const payer = privateKeyToAccount('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80')
const PAY_TO = '0x209693Bc6afc0C5328bA36FaF03C514EF312287C'
const BASE_SEPOLIA_USDC = '0x036CbD53842c5426634e7929541eC2318f3dCF7e'
const TRANSACTION = `0x${'cd'.repeat(32)}`

const offer = (maxAmountRequired: string) => ({
  scheme: 'exact',
  network: 'base-sepolia',
  maxAmountRequired,
  resource: 'http://127.0.0.1/echo',
  description: '',
  mimeType: 'application/json',
  payTo: PAY_TO,
  maxTimeoutSeconds: 60,
  asset: BASE_SEPOLIA_USDC,
  extra: { name: 'USDC', version: '2' },
})

let server: Server
let baseUrl: string
const xPayments: (string | undefined)[] = []

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let text = ''
    for await (const chunk of req) text += chunk
    const xPayment = req.headers['x-payment'] as string | undefined
    xPayments.push(xPayment)
    res.setHeader('content-type', 'application/json')
    if (req.url === '/echo' && xPayment) {
      const { payload } = JSON.parse(Buffer.from(xPayment, 'base64').toString('utf8'))
      const settlement = {
        success: true,
        transaction: TRANSACTION,
        network: 'base-sepolia',
        payer: payload.authorization.from,
      }
      res.writeHead(200, { 'X-PAYMENT-RESPONSE': Buffer.from(JSON.stringify(settlement)).toString('base64') })
      return res.end(JSON.stringify({ received: text }))
    }
    res.writeHead(402)
    res.end(
      JSON.stringify({
        x402Version: 1,
        error: 'X-PAYMENT header is required',
        accepts: [offer(req.url === '/premium' ? '500000' : '10000')],
      }),
    )
  })
  baseUrl = await new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  )
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

const api = (options?: Parameters<typeof withPayments>[2]) =>
  withPayments(
    axios.create({ baseURL: baseUrl }),
    createPaymentClient({ schemes: [exactEvmClient({ account: payer })], policies: [maxAmount('$0.10')] }),
    options,
  )

describe('withPayments with an x402 V1 server', () => {
  test('pays a V1 402 with X-PAYMENT, keeps the JSON body, and decodes X-PAYMENT-RESPONSE', async () => {
    const steps: string[] = []
    const paying = api({
      onPaymentRequired: (required) => {
        steps.push(`required ${required.accepts[0]?.amount} on ${required.accepts[0]?.network}`)
      },
      onPayment: (payment) => {
        steps.push(`paying on ${payment.accepted.network}`)
      },
      onPaymentResponse: (settlement) => {
        steps.push(`settled on ${settlement?.network}`)
      },
    })
    const start = xPayments.length

    const response = await paying.post('/echo', { question: 'rain?' })

    expect(response.status).toBe(200)
    expect(response.data).toEqual({ received: '{"question":"rain?"}' })
    expect(getPaymentResponse(response)).toEqual({
      success: true,
      transaction: TRANSACTION,
      network: 'eip155:84532',
      payer: payer.address,
    })
    expect(steps).toEqual([
      'required 10000 on eip155:84532',
      'paying on eip155:84532',
      'settled on eip155:84532',
    ])
    const sent = xPayments.slice(start)
    expect(sent[0]).toBeUndefined()
    const payment = JSON.parse(Buffer.from(sent[1] ?? '', 'base64').toString('utf8'))
    expect(payment).toMatchObject({ x402Version: 1, scheme: 'exact', network: 'base-sepolia' })
    const { authorization, signature } = payment.payload
    expect(authorization).toMatchObject({ from: payer.address, to: PAY_TO, value: '10000' })
    const signer = await recoverTypedDataAddress({
      domain: { name: 'USDC', version: '2', chainId: 84532, verifyingContract: BASE_SEPOLIA_USDC },
      types: {
        TransferWithAuthorization: [
          { name: 'from', type: 'address' },
          { name: 'to', type: 'address' },
          { name: 'value', type: 'uint256' },
          { name: 'validAfter', type: 'uint256' },
          { name: 'validBefore', type: 'uint256' },
          { name: 'nonce', type: 'bytes32' },
        ],
      },
      primaryType: 'TransferWithAuthorization',
      message: {
        ...authorization,
        value: BigInt(authorization.value),
        validAfter: BigInt(authorization.validAfter),
        validBefore: BigInt(authorization.validBefore),
      },
      signature: signature as Hex,
    })
    expect(signer).toBe(payer.address)
  })

  test('a second V1 402 after paying rejects as axios does, having paid once', async () => {
    const start = xPayments.length
    const error = await api()
      .get('/stubborn')
      .catch((caught: unknown) => caught)
    expect(isAxiosError(error) && error.response?.status).toBe(402)
    expect(xPayments.slice(start).map((header) => header !== undefined)).toEqual([false, true])
  })

  test('a policy refuses a V1 offer with its reason in CAIP-2 terms, and nothing is sent', async () => {
    const start = xPayments.length
    const error = await api()
      .get('/premium')
      .catch((caught: unknown) => caught)
    expect(isX402Error(error, 'payment_refused_by_policy')).toBe(true)
    expect((error as Error).message).toContain(
      `offer 1 (exact on eip155:84532, 500000 of ${BASE_SEPOLIA_USDC}): maxAmount: 500000 atomic units exceed the cap of $0.1`,
    )
    expect(xPayments.length - start).toBe(1)
  })
})
