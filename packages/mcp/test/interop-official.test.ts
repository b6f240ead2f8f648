// Wire compatibility with the official x402 packages (@x402/core and @x402/evm 2.27; @x402/mcp itself is not
// on npm): (a) an official client pays our paid tool through a plain MCP SDK client; (b) our client pays a tool
// server written here the way @x402/mcp answers (plain JSON PaymentRequired in content[0].text, the
// settlement in _meta), on the official x402ResourceServer, settling through our facilitator over HTTP.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { type Devnet, startDevnet, tokenBalance } from '@open402/devnet'
import { x402Client } from '@x402/core/client'
import { HTTPFacilitatorClient, x402ResourceServer } from '@x402/core/server'
import type { PaymentPayload, PaymentRequired, PaymentRequirements, SettleResponse } from '@x402/core/types'
import { ExactEvmScheme as OfficialEvmClient } from '@x402/evm/exact/client'
import { ExactEvmScheme as OfficialEvmServer } from '@x402/evm/exact/server'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { z } from 'zod'
import {
  MCP_PAYMENT_META_KEY,
  paymentRequiredFromToolResult,
  registerPaidTool,
  withPayments,
} from '../src/index.js'
import { nth } from './support/helpers.js'
import { connectMcpClient, startMcpHttpServer } from './support/mcp-http.js'
import { devnetPaymentClient, devnetResourceServer, startDevnetFacilitator } from './support/payment-stack.js'

const PRICE = 10_000n

let devnet: Devnet
let facilitator: { url: string; close(): Promise<void> }
let ours: { url: string; close(): Promise<void> }
let theirs: { url: string; close(): Promise<void> }
let officialResourceServer: x402ResourceServer
const merchantBalance = () => tokenBalance(devnet, devnet.evm.accounts.merchant.address)

/** A paid tool answering as the official @x402/mcp does, on the official resource server. */
function officialStyleServer(): McpServer {
  const { network, token, accounts } = devnet.evm
  const resource = { url: 'mcp://tool/quote', description: 'A stock quote', mimeType: 'application/json' }
  const requiredResult = (paymentRequired: PaymentRequired, settlement?: SettleResponse): CallToolResult => ({
    isError: true,
    structuredContent: { ...paymentRequired, ...(settlement ? { 'x402/payment-response': settlement } : {}) },
    content: [{ type: 'text', text: JSON.stringify(paymentRequired) }],
  })
  const server = new McpServer({ name: 'official-style', version: '1.0.0' })
  server.registerTool('quote', { inputSchema: { ticker: z.string() } }, async ({ ticker }, extra) => {
    const offers = await officialResourceServer.buildPaymentRequirements({
      scheme: 'exact',
      network,
      payTo: accounts.merchant.address,
      price: {
        amount: PRICE.toString(),
        asset: token.address,
        extra: { name: token.name, version: token.version },
      },
    })
    const terms = (error: string) =>
      officialResourceServer.createPaymentRequiredResponse(offers, resource, error)
    const payment = extra._meta?.[MCP_PAYMENT_META_KEY] as PaymentPayload | undefined
    if (!payment) return requiredResult(await terms('Payment required'))
    const requirements: PaymentRequirements | undefined = officialResourceServer.findMatchingRequirements(
      offers,
      payment,
    )
    if (!requirements) return requiredResult(await terms('No matching payment requirements'))
    const verified = await officialResourceServer.verifyPayment(payment, requirements)
    if (!verified.isValid) return requiredResult(await terms(verified.invalidReason ?? 'invalid_payment'))
    const output = `${ticker}: 123.45`
    const settled = await officialResourceServer.settlePayment(payment, requirements)
    if (!settled.success)
      return requiredResult(await terms(settled.errorReason ?? 'settlement_failed'), settled)
    return { content: [{ type: 'text', text: output }], _meta: { 'x402/payment-response': settled } }
  })
  return server
}

beforeAll(async () => {
  devnet = await startDevnet()
  facilitator = await startDevnetFacilitator(devnet)
  const resourceServer = devnetResourceServer(devnet, facilitator.url)
  const { network, accounts } = devnet.evm
  ours = await startMcpHttpServer(() => {
    const server = new McpServer({ name: 'open402', version: '1.0.0' })
    registerPaidTool(
      server,
      resourceServer,
      'weather',
      {
        description: 'Current weather',
        inputSchema: { city: z.string() },
        payment: { accepts: { scheme: 'exact', network, price: '$0.01', payTo: accounts.merchant.address } },
      },
      ({ city }) => ({ content: [{ type: 'text', text: `${city}: sunny` }] }),
    )
    return server
  })
  officialResourceServer = new x402ResourceServer(
    new HTTPFacilitatorClient({ url: facilitator.url }),
  ).register(network, new OfficialEvmServer())
  await officialResourceServer.initialize()
  theirs = await startMcpHttpServer(officialStyleServer)
})

afterAll(async () => {
  await ours?.close()
  await theirs?.close()
  await facilitator?.close()
  await devnet?.stop()
})

test('an official x402Client pays our paid tool: it reads structuredContent and the payment goes in _meta', async () => {
  const { network, token, accounts } = devnet.evm
  const payer = nth(accounts.others, 0)
  const official = new x402Client()
    .register(network, new OfficialEvmClient(privateKeyToAccount(payer.privateKey)))
    .setSpendControls({ allowedAssets: [{ network, asset: token.address }] })
  let mcpClient: Client | undefined
  try {
    mcpClient = await connectMcpClient(ours.url)
    const unpaid = await mcpClient.callTool({ name: 'weather', arguments: { city: 'Paris' } })
    const payment = await official.createPaymentPayload(unpaid.structuredContent as PaymentRequired)
    const before = await Promise.all([merchantBalance(), tokenBalance(devnet, payer.address)])
    const paid = await mcpClient.callTool({
      name: 'weather',
      arguments: { city: 'Paris' },
      _meta: { [MCP_PAYMENT_META_KEY]: payment },
    })
    expect(paid.isError).toBeFalsy()
    expect(paid.content).toEqual([{ type: 'text', text: 'Paris: sunny' }])
    expect(paid._meta?.['x402/payment-response']).toMatchObject({
      success: true,
      network,
      payer: payer.address,
    })
    expect([await merchantBalance(), await tokenBalance(devnet, payer.address)]).toEqual([
      before[0] + PRICE,
      before[1] - PRICE,
    ])
  } finally {
    await mcpClient?.close()
  }
})

test('our client pays a tool that answers as @x402/mcp does (plain JSON PaymentRequired in content[0].text)', async () => {
  const { network, accounts } = devnet.evm
  const payer = nth(accounts.others, 1)
  let mcpClient: Client | undefined
  try {
    mcpClient = await connectMcpClient(theirs.url)
    const unpaid = await mcpClient.callTool({ name: 'quote', arguments: { ticker: 'ACME' } })
    const text = nth(unpaid.content as { text: string }[], 0).text
    // Their text is the plain PaymentRequired; ours reads it without structuredContent too.
    expect(paymentRequiredFromToolResult({ isError: true, content: unpaid.content })).toEqual(
      JSON.parse(text),
    )
    expect(JSON.parse(text)).toMatchObject({ x402Version: 2, resource: { url: 'mcp://tool/quote' } })

    const client = await devnetPaymentClient(devnet, { evm: payer })
    const before = await Promise.all([merchantBalance(), tokenBalance(devnet, payer.address)])
    const { result, payment } = await withPayments(mcpClient, { client }).callTool({
      name: 'quote',
      arguments: { ticker: 'ACME' },
    })
    expect(result.content).toEqual([{ type: 'text', text: 'ACME: 123.45' }])
    expect(payment).toMatchObject({ success: true, network, payer: payer.address })
    expect([await merchantBalance(), await tokenBalance(devnet, payer.address)]).toEqual([
      before[0] + PRICE,
      before[1] - PRICE,
    ])
  } finally {
    await mcpClient?.close()
  }
})
