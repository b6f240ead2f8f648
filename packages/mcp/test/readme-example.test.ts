// The first example of README.md, kept runnable: if this test changes, change the README with it. The one
// difference: the server listens on a free port.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import { createFacilitator, createPaymentClient, createResourceServer, maxAmount } from '@open402/core'
import { startDevnet, tokenBalance } from '@open402/devnet'
import { exactEvmClient } from '@open402/evm/client'
import { exactEvmFacilitator } from '@open402/evm/facilitator'
import { exactEvmServer } from '@open402/evm/server'
import { privateKeyToAccount } from 'viem/accounts'
import { expect, test } from 'vitest'
import { z } from 'zod'
import { registerPaidTool, withPayments } from '../src/index.js'

test('the README example pays $0.01 for a weather tool over MCP', async () => {
  const devnet = await startDevnet()
  const http = createServer()
  const mcpClient = new Client({ name: 'agent', version: '1.0.0' })
  try {
    const { network, rpcUrl, token, accounts } = devnet.evm

    // The server: a weather tool that costs $0.01, every other tool free.
    const resourceServer = createResourceServer({
      facilitator: createFacilitator({
        schemes: [
          exactEvmFacilitator({
            signer: privateKeyToAccount(accounts.facilitator.privateKey),
            networks: { [network]: rpcUrl },
          }),
        ],
      }),
      schemes: [exactEvmServer({ assets: { [network]: token } })],
    })
    function weatherServer() {
      const server = new McpServer({ name: 'weather', version: '1.0.0' })
      registerPaidTool(
        server,
        resourceServer,
        'weather',
        {
          description: 'Current weather',
          inputSchema: { city: z.string() },
          payment: {
            accepts: { scheme: 'exact', network, price: '$0.01', payTo: accounts.merchant.address },
          },
        },
        async ({ city }) => ({ content: [{ type: 'text', text: `${city}: sunny` }] }),
      )
      return server
    }
    http.on('request', async (req, res) => {
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined }) // stateless
      await weatherServer().connect(transport)
      await transport.handleRequest(req, res)
    })
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`

    // The client: pays when a tool asks, within its policies.
    await mcpClient.connect(new StreamableHTTPClientTransport(new URL(url)))
    const account = privateKeyToAccount(accounts.payer.privateKey)
    const paying = withPayments(mcpClient, {
      client: createPaymentClient({
        schemes: [exactEvmClient({ account, assets: { [network]: token } })],
        policies: [maxAmount('$0.05')],
      }),
    })
    const before = await tokenBalance(devnet, accounts.merchant.address)
    const { result, payment } = await paying.callTool({ name: 'weather', arguments: { city: 'Paris' } })
    expect([result.content, payment?.success]).toEqual([[{ type: 'text', text: 'Paris: sunny' }], true])
    expect(payment?.transaction).toMatch(/^0x[0-9a-f]{64}$/)
    expect(await tokenBalance(devnet, accounts.merchant.address)).toBe(before + 10_000n)
  } finally {
    await mcpClient.close()
    http.closeAllConnections()
    await new Promise<void>((resolve) => http.close(() => resolve()))
    await devnet.stop()
  }
})
