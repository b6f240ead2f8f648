import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'
import { createPaidAgent } from '@open402/a2a'
import { createResourceServer, type FacilitatorClient } from '@open402/core'
import type { DevnetDescription } from '@open402/devnet'
import { exactEvmServer } from '@open402/evm/server'
import { registerPaidTool, type ToolCall } from '@open402/mcp'
import { exactSvmServer } from '@open402/svm/server'
import type { Hono } from 'hono'
import { z } from 'zod'

/** The MCP tool's tariff: $0.001 per forecast day. */
export const DOLLARS_PER_FORECAST_DAY = 0.001
/** What the translator agent charges per task. */
export const TRANSLATION_PRICE = '$0.003'

const GLOSSARY: Record<string, string> = {
  sunny: 'ensolarado',
  cloudy: 'nublado',
  rain: 'chuva',
  clear: 'limpo',
  in: 'em',
  today: 'hoje',
  tomorrow: 'amanhã',
}

/**
 * Where agents live, next to the paid HTTP API: a paid MCP tool (`forecast`, priced per requested day) at
 * `/mcp` (Streamable HTTP, stateless), and a translator agent that other agents hire over A2A with the x402
 * extension (card at `/.well-known/agent-card.json`, JSON-RPC at `/agents/translator`). Both are payable
 * on the EVM chain or on Solana, through the same facilitator as the API.
 */
export function mountAgentServices(
  app: Hono,
  { evm, svm }: DevnetDescription,
  facilitator: FacilitatorClient,
  origin: string,
) {
  const resourceServer = createResourceServer({
    facilitator,
    schemes: [
      exactEvmServer({ assets: { [evm.network]: evm.token } }),
      exactSvmServer({ assets: { [svm.network]: svm.mint } }),
    ],
  })
  const both = <Call>(price: string | ((call: Call) => string)) => [
    { scheme: 'exact', network: evm.network, price, payTo: evm.accounts.merchant.address },
    { scheme: 'exact', network: svm.network, price, payTo: svm.accounts.merchant.address },
  ]

  const forecastServer = () => {
    const server = new McpServer({ name: 'open402-demo-weather', version: '1.0.0' })
    registerPaidTool(
      server,
      resourceServer,
      'forecast',
      {
        description: `Weather forecast for a city, $${DOLLARS_PER_FORECAST_DAY} per day`,
        inputSchema: { city: z.string().min(1), days: z.number().int().min(1).max(14) },
        payment: {
          accepts: both(
            ({ args }: ToolCall<{ city: string; days: number }>) =>
              `$${(args.days * DOLLARS_PER_FORECAST_DAY).toFixed(6)}`,
          ),
          description: 'Weather forecast, priced per day',
        },
      },
      async ({ city, days }) => {
        const skies = ['sunny', 'cloudy', 'rain']
        const lines = Array.from({ length: days }, (_, day) => `day ${day + 1}: ${skies[day % 3]}`)
        return { content: [{ type: 'text', text: `${city}: ${lines.join(', ')}` }] }
      },
    )
    return server
  }
  app.post('/mcp', async (c) => {
    const server = forecastServer()
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    })
    await server.connect(transport)
    return transport.handleRequest(c.req.raw)
  })

  const translator = createPaidAgent({
    card: {
      name: 'Translator',
      description: 'Translates short weather reports into Portuguese, paid per task',
      url: `${origin}/agents/translator`,
    },
    resourceServer,
    skills: {
      'translate-pt': {
        description: 'English → Portuguese, word by word from a weather glossary',
        accepts: both(TRANSLATION_PRICE),
        work: async (request) => {
          const text = request.parts.map((part) => (part.kind === 'text' ? part.text : '')).join(' ')
          return text.replace(/[A-Za-z]+/g, (word) => GLOSSARY[word.toLowerCase()] ?? word)
        },
      },
    },
  })
  app.get('/.well-known/agent-card.json', (c) => translator.fetch(c.req.raw))
  app.post('/agents/translator', (c) => translator.fetch(c.req.raw))
}
