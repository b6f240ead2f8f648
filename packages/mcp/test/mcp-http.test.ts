// Paid MCP tools over the Streamable HTTP transport, end to end on the devnet: our facilitator over HTTP,
// a resource server, an McpServer with paid and free tools, and MCP SDK clients with and without withPayments.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { CallToolRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js'
import {
  budget,
  createHttpFacilitatorClient,
  createPaymentGate,
  createResourceServer,
  isX402Error,
  maxAmount,
  type PaymentPayload,
  type PaymentRequired,
  type ResourceServer,
} from '@open402/core'
import {
  type Devnet,
  devnetChain,
  startDevnet,
  svmTokenBalance,
  tokenBalance,
  usdcLikeTokenAbi,
} from '@open402/devnet'
import { exactEvmServer } from '@open402/evm/server'
import { createWalletClient, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { z } from 'zod'
import {
  MCP_PAYMENT_META_KEY,
  MCP_PAYMENT_UNAVAILABLE_META_KEY,
  paidTool,
  paymentRequiredFromToolResult,
  paymentResponseFromToolResult,
  registerPaidTool,
  type ToolPaymentFailure,
  withPayments,
} from '../src/index.js'
import { nth, requiredOf } from './support/helpers.js'
import { connectMcpClient, startMcpHttpServer } from './support/mcp-http.js'
import { devnetPaymentClient, devnetResourceServer, startDevnetFacilitator } from './support/payment-stack.js'

const PRICE = 10_000n // $0.01 of a 6-decimal token

let devnet: Devnet
let facilitator: { url: string; close(): Promise<void> }
let mcp: { url: string; close(): Promise<void> }
let mcpClient: Client
/** What the tools did, in order: `<tool> ran`. */
const ran: string[] = []

const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] })
const firstText = (result: { content: unknown[] }) => (result.content[0] as { text: string }).text

function buildServer(resourceServer: ResourceServer, offline: ResourceServer): McpServer {
  const { evm, svm } = devnet
  const evmOffer = {
    scheme: 'exact',
    network: evm.network,
    price: '$0.01',
    payTo: evm.accounts.merchant.address,
  }
  const server = new McpServer({ name: 'paid-tools', version: '1.0.0' })
  server.registerTool('ping', { description: 'Free' }, () => {
    ran.push('ping ran')
    return text('pong')
  })
  registerPaidTool(
    server,
    resourceServer,
    'weather',
    { description: 'Current weather', inputSchema: { city: z.string() }, payment: { accepts: evmOffer } },
    ({ city }) => {
      ran.push('weather ran')
      return text(`${city}: sunny`)
    },
  )
  registerPaidTool(
    server,
    resourceServer,
    'sol-weather',
    {
      description: 'Current weather, paid on Solana',
      inputSchema: { city: z.string() },
      payment: {
        accepts: {
          scheme: 'exact',
          network: svm.network,
          price: '$0.01',
          payTo: svm.accounts.merchant.address,
        },
      },
    },
    ({ city }) => {
      ran.push('sol-weather ran')
      return text(`${city}: fog`)
    },
  )
  registerPaidTool(
    server,
    resourceServer,
    'forecast',
    {
      inputSchema: { city: z.string() },
      outputSchema: { city: z.string(), celsius: z.number() },
      payment: { accepts: evmOffer },
    },
    ({ city }) => {
      ran.push('forecast ran')
      return { ...text(`${city}: 21`), structuredContent: { city, celsius: 21 } }
    },
  )
  registerPaidTool(server, resourceServer, 'broken', { payment: { accepts: evmOffer } }, () => {
    ran.push('broken ran')
    return { ...text('the upstream service is down'), isError: true }
  })
  // Wrapped by hand with paidTool, as registerTool's callback.
  server.registerTool(
    'throws',
    { inputSchema: { city: z.string() } },
    paidTool<{ city: string }>(resourceServer, { name: 'throws', accepts: evmOffer })(
      ({ city }: { city: string }) => {
        ran.push('throws ran')
        throw new Error(`no weather station in ${city}`)
      },
    ),
  )
  registerPaidTool(server, resourceServer, 'guarded', { payment: { accepts: evmOffer } }, () => {
    ran.push('guarded ran')
    return text('secret')
  })
  registerPaidTool(
    server,
    resourceServer,
    'drain',
    { inputSchema: { key: z.string() }, payment: { accepts: evmOffer } },
    async ({ key }) => {
      // The payer moves its funds away between verify and settle.
      ran.push('drain ran')
      const account = privateKeyToAccount(key as `0x${string}`)
      const wallet = createWalletClient({ account, chain: devnetChain(devnet), transport: http(evm.rpcUrl) })
      const balance = await tokenBalance(devnet, account.address)
      await wallet.writeContract({
        address: evm.token.address,
        abi: usdcLikeTokenAbi,
        functionName: 'transfer',
        args: [nth(evm.accounts.others, 15).address, balance],
      })
      return text('drained')
    },
  )
  registerPaidTool(
    server,
    resourceServer,
    'summarize',
    {
      inputSchema: { text: z.string() },
      // $0.0001 a character
      payment: {
        accepts: { ...evmOffer, price: ({ args }) => `$${(args.text.length / 10_000).toFixed(4)}` },
      },
    },
    ({ text: input }) => {
      ran.push('summarize ran')
      return text(input.slice(0, 5))
    },
  )
  registerPaidTool(server, offline, 'offline', { payment: { accepts: evmOffer } }, () => {
    ran.push('offline ran')
    return text('never')
  })
  return server
}

beforeAll(async () => {
  devnet = await startDevnet()
  facilitator = await startDevnetFacilitator(devnet)
  const resourceServer = devnetResourceServer(devnet, facilitator.url, {
    beforeSettle: ({ route }) =>
      route === 'mcp://tool/guarded'
        ? { abort: { reason: 'quota_exceeded', message: 'no quota left' } }
        : undefined,
  })
  // A facilitator that is not there: port 9 (discard) on 127.0.0.1 refuses connections.
  const offline = createResourceServer({
    facilitator: createHttpFacilitatorClient({ url: 'http://127.0.0.1:9' }),
    schemes: [exactEvmServer({ assets: { [devnet.evm.network]: devnet.evm.token } })],
  })
  mcp = await startMcpHttpServer(() => buildServer(resourceServer, offline))
  mcpClient = await connectMcpClient(mcp.url)
})

afterAll(async () => {
  await mcpClient?.close()
  await mcp?.close()
  await facilitator?.close()
  await devnet?.stop()
})

const evmPayer = (index: number) => nth(devnet.evm.accounts.others, index)
const merchantBalance = () => tokenBalance(devnet, devnet.evm.accounts.merchant.address)

/** The PaymentRequired the unpaid `weather` call answers (spec format). */
function weatherPaymentRequired(error: string): PaymentRequired {
  const { network, token, accounts } = devnet.evm
  return {
    x402Version: 2,
    error,
    resource: { url: 'mcp://tool/weather', description: 'Current weather' },
    accepts: [
      {
        scheme: 'exact',
        network,
        amount: PRICE.toString(),
        asset: token.address,
        payTo: accounts.merchant.address,
        maxTimeoutSeconds: 300,
        extra: { name: token.name, version: token.version },
      },
    ],
  }
}

describe('server', () => {
  test('an unpaid call answers isError, the PaymentRequired as structuredContent and the x402/error wrapper as text', async () => {
    ran.length = 0
    const result = await mcpClient.callTool({ name: 'weather', arguments: { city: 'Paris' } })
    const required = weatherPaymentRequired('Payment required')
    expect(result).toEqual({
      isError: true,
      structuredContent: required,
      content: [
        {
          type: 'text',
          text: JSON.stringify({ 'x402/error': { code: 402, message: 'Payment required', data: required } }),
        },
      ],
    })
    expect(paymentRequiredFromToolResult(result)).toEqual(required)
    expect(ran).toEqual([])
  })

  test('a free tool stays free: no PaymentRequired, no payment', async () => {
    const client = await devnetPaymentClient(devnet, { evm: evmPayer(0) })
    const before = await merchantBalance()
    const { result, payment } = await withPayments(mcpClient, { client }).callTool({ name: 'ping' })
    expect([firstText(result), result.isError, payment]).toEqual(['pong', undefined, undefined])
    expect(await merchantBalance()).toBe(before)
  })

  test('an invalid payment (a forged signature) is refused with its reason; the tool does not run, nothing moves', async () => {
    const client = await devnetPaymentClient(devnet, { evm: evmPayer(1) })
    const unpaid = await mcpClient.callTool({ name: 'weather', arguments: { city: 'Oslo' } })
    const payment = await client.createPaymentPayload(requiredOf(unpaid))
    const signature = (payment.payload as { signature: string }).signature
    const forged: PaymentPayload = {
      ...payment,
      payload: {
        ...payment.payload,
        signature: `${signature.slice(0, 10)}${signature[10] === 'a' ? 'b' : 'a'}${signature.slice(11)}`,
      },
    }
    ran.length = 0
    const before = await Promise.all([merchantBalance(), tokenBalance(devnet, evmPayer(1).address)])
    const result = await mcpClient.callTool({
      name: 'weather',
      arguments: { city: 'Oslo' },
      _meta: { [MCP_PAYMENT_META_KEY]: forged },
    })
    const refused = paymentRequiredFromToolResult(result)
    expect(result.isError).toBe(true)
    expect(refused?.error).toBe('invalid_exact_evm_payload_signature')
    expect(refused?.accepts).toEqual(weatherPaymentRequired('').accepts)
    expect(ran).toEqual([])
    expect([await merchantBalance(), await tokenBalance(devnet, evmPayer(1).address)]).toEqual(before)
  })

  test('the same payment sent twice runs and settles once', async () => {
    const client = await devnetPaymentClient(devnet, { evm: evmPayer(2) })
    const unpaid = await mcpClient.callTool({ name: 'weather', arguments: { city: 'Rome' } })
    const payment = await client.createPaymentPayload(requiredOf(unpaid))
    const before = await merchantBalance()
    ran.length = 0
    const call = { name: 'weather', arguments: { city: 'Rome' }, _meta: { [MCP_PAYMENT_META_KEY]: payment } }
    const first = await mcpClient.callTool(call)
    expect([
      firstText(first as { content: unknown[] }),
      paymentResponseFromToolResult(first)?.success,
    ]).toEqual(['Rome: sunny', true])
    const second = await mcpClient.callTool(call)
    expect(second.isError).toBe(true)
    expect(paymentRequiredFromToolResult(second)?.error).toMatch(/^invalid_exact_evm_/)
    expect(ran).toEqual(['weather ran'])
    expect(await merchantBalance()).toBe(before + PRICE)
  })

  test('a tool that answers isError is not charged, and its error is returned as is', async () => {
    // A budget of exactly one call: the failed call's reservation must be released for the next to be paid.
    const client = await devnetPaymentClient(
      devnet,
      { evm: evmPayer(3) },
      { policies: [budget({ max: '$0.01' })] },
    )
    const paying = withPayments(mcpClient, { client })
    const before = await Promise.all([merchantBalance(), tokenBalance(devnet, evmPayer(3).address)])
    const { result, payment } = await paying.callTool({ name: 'broken' })
    expect([result.isError, firstText(result), payment]).toEqual([
      true,
      'the upstream service is down',
      undefined,
    ])
    expect([await merchantBalance(), await tokenBalance(devnet, evmPayer(3).address)]).toEqual(before)
    const paid = await paying.callTool({ name: 'weather', arguments: { city: 'Lima' } })
    expect(paid.payment?.success).toBe(true)
    expect(await merchantBalance()).toBe(before[0] + PRICE)
  })

  test('a paid tool (wrapped with paidTool) that throws is not charged: the SDK answers its error', async () => {
    const client = await devnetPaymentClient(devnet, { evm: evmPayer(12) })
    const before = await Promise.all([merchantBalance(), tokenBalance(devnet, evmPayer(12).address)])
    ran.length = 0
    const { result, payment } = await withPayments(mcpClient, { client }).callTool({
      name: 'throws',
      arguments: { city: 'Atlantis' },
    })
    expect([result.isError, firstText(result), payment]).toEqual([
      true,
      'no weather station in Atlantis',
      undefined,
    ])
    expect(ran).toEqual(['throws ran'])
    expect([await merchantBalance(), await tokenBalance(devnet, evmPayer(12).address)]).toEqual(before)
  })

  test('a settlement that fails after the tool ran (the payer drained its funds) withholds the output', async () => {
    const payer = evmPayer(4)
    const client = await devnetPaymentClient(devnet, { evm: payer }, { policies: [budget({ max: '$0.01' })] })
    const before = await merchantBalance()
    ran.length = 0
    const error = await withPayments(mcpClient, { client })
      .callTool({ name: 'drain', arguments: { key: payer.privateKey } })
      .then(
        () => undefined,
        (e: unknown) => e,
      )
    expect(isX402Error(error, 'payment_failed')).toBe(true)
    const cause = (error as { cause: ToolPaymentFailure }).cause
    expect(cause.reason).toBe('invalid_exact_evm_transaction_failed')
    expect(cause.settlement).toMatchObject({ success: false, status: 'failed', network: devnet.evm.network })
    expect(JSON.stringify(cause.result)).not.toContain('drained')
    expect((error as Error).message).toContain('settlement failed')
    expect(ran).toEqual(['drain ran'])
    expect(await merchantBalance()).toBe(before)
    // The reverted settlement charged nothing, so the budget's reservation was given back.
    await expect(client.createPaymentPayload(requiredOf(cause.result))).resolves.toMatchObject({
      x402Version: 2,
    })
  })

  test('a beforeSettle hook abort withholds the output and reports the failed settlement in structuredContent', async () => {
    const client = await devnetPaymentClient(devnet, { evm: evmPayer(5) })
    const unpaid = await mcpClient.callTool({ name: 'guarded' })
    const payment = await client.createPaymentPayload(requiredOf(unpaid))
    const before = await merchantBalance()
    const result = await mcpClient.callTool({ name: 'guarded', _meta: { [MCP_PAYMENT_META_KEY]: payment } })
    const settlement = {
      success: false,
      errorReason: 'quota_exceeded',
      errorMessage: 'no quota left',
      transaction: '',
      network: devnet.evm.network,
    }
    expect(result.isError).toBe(true)
    expect(result.structuredContent).toMatchObject({
      x402Version: 2,
      error: 'quota_exceeded',
      'x402/payment-response': settlement,
    })
    expect(JSON.parse(firstText(result as { content: unknown[] }))['x402/error']).toMatchObject({
      code: 402,
      message: 'Payment settlement failed: no quota left',
      data: { error: 'quota_exceeded' },
    })
    expect(JSON.stringify(result)).not.toContain('secret')
    expect(paymentResponseFromToolResult(result)).toEqual(settlement)
    expect(await merchantBalance()).toBe(before)
  })

  test('a facilitator that cannot be reached refuses the call: the tool does not run', async () => {
    ran.length = 0
    const result = await mcpClient.callTool({ name: 'offline' })
    expect(result.isError).toBe(true)
    expect(paymentRequiredFromToolResult(result)).toBeUndefined()
    expect((result._meta as Record<string, unknown>)[MCP_PAYMENT_UNAVAILABLE_META_KEY]).toMatchObject({
      reason: 'facilitator_unavailable',
      toolRan: false,
    })
    expect(ran).toEqual([])
  })
})

describe('withPayments', () => {
  test('pays a tool on EVM: exact balances and the payment response', async () => {
    const payer = evmPayer(6)
    const client = await devnetPaymentClient(devnet, { evm: payer })
    const before = await Promise.all([merchantBalance(), tokenBalance(devnet, payer.address)])
    const { result, payment } = await withPayments(mcpClient, { client }).callTool({
      name: 'weather',
      arguments: { city: 'Paris' },
    })
    expect(firstText(result)).toBe('Paris: sunny')
    expect(payment).toMatchObject({ success: true, network: devnet.evm.network, payer: payer.address })
    expect(payment?.transaction).toMatch(/^0x[0-9a-f]{64}$/)
    expect(result._meta?.['x402/payment-response']).toEqual(payment)
    expect([await merchantBalance(), await tokenBalance(devnet, payer.address)]).toEqual([
      before[0] + PRICE,
      before[1] - PRICE,
    ])
  })

  test('pays a tool on Solana: exact balances and the payment response', async () => {
    const { svm } = devnet
    const payer = nth(svm.accounts.others, 0)
    const client = await devnetPaymentClient(devnet, { evm: evmPayer(7), svm: payer })
    const before = await Promise.all([
      svmTokenBalance(devnet, svm.accounts.merchant.address),
      svmTokenBalance(devnet, payer.address),
    ])
    const { result, payment } = await withPayments(mcpClient, { client }).callTool({
      name: 'sol-weather',
      arguments: { city: 'Bergen' },
    })
    expect(firstText(result)).toBe('Bergen: fog')
    expect(payment).toMatchObject({ success: true, network: svm.network, payer: payer.address })
    expect([
      await svmTokenBalance(devnet, svm.accounts.merchant.address),
      await svmTokenBalance(devnet, payer.address),
    ]).toEqual([before[0] + PRICE, before[1] - PRICE])
  })

  test('pays a tool with an outputSchema and returns its structured output', async () => {
    const client = await devnetPaymentClient(devnet, { evm: evmPayer(8) })
    const before = await merchantBalance()
    const { result, payment } = await withPayments(mcpClient, { client }).callTool({
      name: 'forecast',
      arguments: { city: 'Nice' },
    })
    expect([result.structuredContent, payment?.success]).toEqual([{ city: 'Nice', celsius: 21 }, true])
    expect(await merchantBalance()).toBe(before + PRICE)
  })

  test('a maxAmount below the price refuses the payment: nothing is signed or sent', async () => {
    const client = await devnetPaymentClient(
      devnet,
      { evm: evmPayer(9) },
      { policies: [maxAmount('$0.001')] },
    )
    const before = await merchantBalance()
    ran.length = 0
    const error = await withPayments(mcpClient, { client })
      .callTool({ name: 'weather', arguments: { city: 'Kyiv' } })
      .then(
        () => undefined,
        (e: unknown) => e,
      )
    expect(isX402Error(error, 'payment_refused_by_policy')).toBe(true)
    expect((error as Error).message).toContain('maxAmount')
    expect(ran).toEqual([])
    expect(await merchantBalance()).toBe(before)
  })

  test('confirm answering false pays nothing, and is asked with the offer and the tool call', async () => {
    const client = await devnetPaymentClient(devnet, { evm: evmPayer(9) })
    const asked: unknown[] = []
    const before = await merchantBalance()
    ran.length = 0
    const error = await withPayments(mcpClient, {
      client,
      confirm: (offer, call) => {
        asked.push([offer.amount, call.name, call.arguments, call.paymentRequired.resource.url])
        return false
      },
    })
      .callTool({ name: 'weather', arguments: { city: 'Kyiv' } })
      .then(
        () => undefined,
        (e: unknown) => e,
      )
    expect(isX402Error(error, 'payment_refused_by_policy')).toBe(true)
    expect(asked).toEqual([['10000', 'weather', { city: 'Kyiv' }, 'mcp://tool/weather']])
    expect(ran).toEqual([])
    expect(await merchantBalance()).toBe(before)
  })

  test('a dynamic price follows the arguments; a payment made for shorter text is refused for longer text', async () => {
    const payer = evmPayer(10)
    const client = await devnetPaymentClient(devnet, { evm: payer })
    const short = await mcpClient.callTool({ name: 'summarize', arguments: { text: 'hi' } })
    const long = await mcpClient.callTool({ name: 'summarize', arguments: { text: 'hello world' } })
    expect(paymentRequiredFromToolResult(short)?.accepts[0]?.amount).toBe('200')
    expect(paymentRequiredFromToolResult(long)?.accepts[0]?.amount).toBe('1100')

    const cheap = await client.createPaymentPayload(requiredOf(short))
    const before = await Promise.all([merchantBalance(), tokenBalance(devnet, payer.address)])
    ran.length = 0
    const refused = await mcpClient.callTool({
      name: 'summarize',
      arguments: { text: 'hello world' },
      _meta: { [MCP_PAYMENT_META_KEY]: cheap },
    })
    const fresh = paymentRequiredFromToolResult(refused)
    expect([fresh?.error, fresh?.accepts[0]?.amount]).toEqual(['payment_requirements_mismatch', '1100'])
    expect(ran).toEqual([])
    expect([await merchantBalance(), await tokenBalance(devnet, payer.address)]).toEqual(before)

    const { result, payment } = await withPayments(mcpClient, { client }).callTool({
      name: 'summarize',
      arguments: { text: 'hello world' },
    })
    expect([firstText(result), payment?.success]).toEqual(['hello', true])
    expect([await merchantBalance(), await tokenBalance(devnet, payer.address)]).toEqual([
      before[0] + 1100n,
      before[1] - 1100n,
    ])
  })

  test('also pays a server that asks with a JSON-RPC error -32042 whose data is the PaymentRequired', async () => {
    const { network, accounts } = devnet.evm
    const gate = createPaymentGate<string>(devnetResourceServer(devnet, facilitator.url), {
      resource: 'mcp://tool/legacy',
      accepts: { scheme: 'exact', network, price: '$0.01', payTo: accounts.merchant.address },
    })
    const legacy = await startMcpHttpServer(() => {
      const server = new Server({ name: 'legacy', version: '1.0.0' }, { capabilities: { tools: {} } })
      server.setRequestHandler(CallToolRequestSchema, async (request) => {
        const payment = request.params._meta?.[MCP_PAYMENT_META_KEY]
        if (payment === undefined) {
          const required = await gate.required('legacy')
          throw new McpError(
            -32042,
            'Payment required',
            required.kind === 'required' ? required.paymentRequired : undefined,
          )
        }
        const verdict = await gate.verify('legacy', payment)
        if (verdict.kind !== 'verified') throw new McpError(-32042, verdict.message)
        const settled = await verdict.settle()
        if (settled.kind !== 'settled') throw new McpError(-32042, settled.message)
        return {
          content: [{ type: 'text', text: 'old but paid' }],
          _meta: { 'x402/payment-response': settled.response },
        }
      })
      return server
    })
    let client: Client | undefined
    try {
      client = await connectMcpClient(legacy.url)
      const before = await merchantBalance()
      const { result, payment } = await withPayments(client, {
        client: await devnetPaymentClient(devnet, { evm: evmPayer(11) }),
      }).callTool({ name: 'legacy' })
      expect([firstText(result), payment?.success]).toEqual(['old but paid', true])
      expect(await merchantBalance()).toBe(before + PRICE)
    } finally {
      await client?.close()
      await legacy.close()
    }
  })
})
