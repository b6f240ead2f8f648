import type { DynamicPrice, FacilitatorClient, RoutesConfig } from '@open402/core'
import {
  createMemoryIdempotencyStore,
  createResourceServer,
  declareDiscovery,
  encodeSettlementOverrides,
  SETTLEMENT_OVERRIDES_HEADER,
  X402Error,
} from '@open402/core'
import type { DevnetDescription } from '@open402/devnet'
import { exactEvmServer, uptoEvmServer } from '@open402/evm/server'
import { paymentMiddleware } from '@open402/hono'
import { createPaywall } from '@open402/paywall'
import { siwx } from '@open402/siwx'
import { evmSiwxVerifier } from '@open402/siwx/evm'
import { solanaSiwxVerifier } from '@open402/siwx/solana'
import { exactSvmServer } from '@open402/svm/server'
import { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'

const WEATHER = { city: 'Lisbon', temperatureC: 19, sky: 'clear' }

const ARTICLE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Why HTTP 402</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font: 18px/1.6 system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem">
<article><h1>Why HTTP 402</h1>
<p>Pay per read, in a cent, with no account and no form. The server said what it costs; your wallet signed
a transfer; a facilitator settled it on chain; and here is the article.</p></article>
</body></html>
`

/** The completion route's tariff: $0.00001 per requested token, i.e. 10 atomic units of a 6-decimal USDC. */
export const MICRODOLLARS_PER_TOKEN = 10
export const MAX_TOKENS = 10_000
const COMPLETION =
  'Paid per token and settled before the first word: HTTP 402 lets an agent buy exactly the output it asks for.'

/** `{ "maxTokens": n }` from a JSON body; throws `X402Error('invalid_price')` for anything else. */
export async function requestedTokens(request: Request): Promise<number> {
  const body = (await request.json().catch(() => undefined)) as { maxTokens?: unknown } | undefined
  const tokens = body?.maxTokens
  if (typeof tokens !== 'number' || !Number.isInteger(tokens) || tokens < 1 || tokens > MAX_TOKENS) {
    throw new X402Error('invalid_price', `send a JSON body { "maxTokens": 1..${MAX_TOKENS} }`)
  }
  return tokens
}

/** The price of a completion, computed from the request body (read from a clone, so the handler can read it). */
export const completionPrice: DynamicPrice = async (request) => {
  const micro = (await requestedTokens(request.clone())) * MICRODOLLARS_PER_TOKEN
  return `$${(micro / 1_000_000).toFixed(6)}`
}

/** The price feed (`upto`, metered per update). */
export const FEED_MAX_PRICE = '$0.01'
export const FEED_PRICE_PER_UPDATE = '$0.0005'

/** The generation route (`upto`): the client authorizes this much, and pays $0.0001 per generated token. */
export const GENERATE_MAX_PRICE = '$0.10'
export const ATOMIC_PER_GENERATED_TOKEN = 100 // $0.0001 of a 6-decimal USDC
const GENERATE_MAX_TOKENS = 1_000 // $0.10 at most
const GENERATION = '— and the answer, generated word by word, costs exactly what it took to write.'

/** How long a reader who bought the article may come back without paying (sign-in-with-x). */
export const ARTICLE_ACCESS_MS = 24 * 60 * 60 * 1000

/**
 * The demo's paid API at `origin`: a $0.001 JSON route (described for discovery), a $0.05 article (a wallet
 * that bought it signs in to read it again for a day) and a completion priced per requested token and
 * streamed as server-sent events (settled before it streams), each payable on the EVM chain or on Solana,
 * plus a free index. Payments carry a payment identifier, so a retried request is charged once.
 */
export function createDemoApi(
  { evm, svm }: DevnetDescription,
  facilitator: FacilitatorClient,
  origin: string,
) {
  const option = (price: string | DynamicPrice) => [
    { scheme: 'exact', network: evm.network, price, payTo: evm.accounts.merchant.address },
    { scheme: 'exact', network: svm.network, price, payTo: svm.accounts.merchant.address },
  ]
  const routes = {
    'GET /api/weather': {
      accepts: option('$0.001'),
      description: 'Current weather, paid per request',
      mimeType: 'application/json',
      extensions: {
        bazaar: declareDiscovery({
          method: 'GET',
          input: { city: 'Porto' },
          inputSchema: { type: 'object', properties: { city: { type: 'string' } } },
          output: { example: { city: 'Porto', temperatureC: 17, sky: 'cloudy' } },
          description: 'Current weather for a city, paid per request',
          tags: ['weather', 'forecast'],
        }),
      },
    },
    'GET /articles/why-402': {
      accepts: option('$0.05'),
      description: 'A premium article, no subscription',
      mimeType: 'text/html',
    },
    'POST /api/generate': {
      accepts: {
        scheme: 'upto',
        network: evm.network,
        price: GENERATE_MAX_PRICE,
        payTo: evm.accounts.merchant.address,
      },
      description: `Text generation: authorize ${GENERATE_MAX_PRICE}, pay $0.0001 per generated token`,
      mimeType: 'application/json',
    },
    'GET /api/prices': {
      accepts: {
        scheme: 'upto',
        network: evm.network,
        price: FEED_MAX_PRICE,
        payTo: evm.accounts.merchant.address,
      },
      description: `A price feed over server-sent events: authorize ${FEED_MAX_PRICE}, pay ${FEED_PRICE_PER_UPDATE} per update`,
      mimeType: 'text/event-stream',
      settlement: 'metered',
      meter: { per: 'event', price: FEED_PRICE_PER_UPDATE },
    },
    'POST /api/complete': {
      accepts: option(completionPrice),
      description: 'A streamed completion, $0.00001 per requested token (JSON body { "maxTokens": n })',
      mimeType: 'text/event-stream',
      settlement: 'before',
    },
  } satisfies RoutesConfig
  /** What `--serve` and the agent see of each route. */
  const listing = [
    { method: 'GET', path: '/api/weather', price: '$0.001' },
    { method: 'GET', path: '/articles/why-402', price: '$0.05' },
    { method: 'POST', path: '/api/complete', price: '$0.00001 per token' },
    {
      method: 'GET',
      path: '/api/prices',
      price: `up to ${FEED_MAX_PRICE}, ${FEED_PRICE_PER_UPDATE} per update`,
      scheme: 'upto',
    },
    {
      method: 'POST',
      path: '/api/generate',
      price: `up to ${GENERATE_MAX_PRICE}, $0.0001 per token`,
      scheme: 'upto',
    },
  ]

  // Pay once, get remembered: the wallet that bought the article signs in (CAIP-122) to read it again.
  const signIn = siwx({
    origin,
    routes: ['GET /articles/why-402'],
    grant: { ttlMs: ARTICLE_ACCESS_MS },
    verifiers: [evmSiwxVerifier(), solanaSiwxVerifier()],
  })

  const server = createResourceServer({
    facilitator,
    hooks: signIn.hooks,
    schemes: [
      exactEvmServer({ assets: { [evm.network]: evm.token } }),
      uptoEvmServer({ assets: { [evm.network]: evm.token } }),
      exactSvmServer({ assets: { [svm.network]: svm.mint } }),
    ],
  })

  // A browser that opens a paid route gets a page to pay it with its wallet (EIP-1193 or Wallet Standard),
  // pointed at the local chains; API clients keep getting the JSON 402.
  const paywall = createPaywall({
    networks: {
      [evm.network]: { name: 'open402 devnet (EVM)', rpcUrl: evm.rpcUrl },
      [svm.network]: { name: 'open402 devnet (Solana)', rpcUrl: svm.rpcUrl, txUrl: null },
    },
    assets: { [evm.network]: evm.token, [svm.network]: svm.mint },
  })

  const app = new Hono()
  app.use(
    paymentMiddleware(server, {
      routes,
      paywall,
      ...signIn.handler,
      // payment-identifier: the same payment sent again (a lost answer) gets the first answer, settled once.
      idempotency: { store: createMemoryIdempotencyStore() },
    }),
  )
  app.get('/', (c) => c.json({ routes: Object.keys(routes) }))
  app.get('/api/weather', (c) => c.json({ ...WEATHER, city: c.req.query('city') ?? WEATHER.city }))
  app.get('/articles/why-402', (c) => c.html(ARTICLE))
  app.get('/api/prices', (c) =>
    // Metered: every update sent is charged, settled when the feed ends or the reader leaves.
    streamSSE(c, async (stream) => {
      const updates = Math.min(Number(c.req.query('updates') ?? '8') || 8, 100)
      for (let tick = 1; tick <= updates; tick++) {
        const usdc = (1 + Math.sin(tick) / 1000).toFixed(5)
        await stream.writeSSE({
          event: 'price',
          data: JSON.stringify({ tick, pair: 'USDC/USD', price: usdc }),
        })
        await stream.sleep(25)
      }
    }),
  )
  app.post('/api/generate', async (c) => {
    // The work decides the price: the client authorized the maximum, it pays for the tokens generated.
    const body = (await c.req.json().catch(() => ({}))) as { prompt?: unknown }
    const prompt = typeof body.prompt === 'string' ? body.prompt : ''
    const words = `${prompt} ${GENERATION}`.trim().split(/\s+/).slice(0, GENERATE_MAX_TOKENS)
    c.header(
      SETTLEMENT_OVERRIDES_HEADER,
      encodeSettlementOverrides({ amount: String(words.length * ATOMIC_PER_GENERATED_TOKEN) }),
    )
    return c.json({ text: words.join(' '), tokens: words.length })
  })
  app.post('/api/complete', async (c) => {
    const tokens = await requestedTokens(c.req.raw)
    const words = COMPLETION.split(' ').slice(0, tokens)
    return streamSSE(c, async (stream) => {
      for (const word of words) {
        await stream.writeSSE({ event: 'token', data: word })
        await stream.sleep(20)
      }
      await stream.writeSSE({ event: 'done', data: JSON.stringify({ tokens: words.length }) })
    })
  })
  return { app, routes, listing }
}
