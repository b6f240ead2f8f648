import { type DiscoveryFilters, discoverResources } from '@open402/core'
import { parseAssets } from './assets.js'
import { usageError } from './cli-error.js'
import { offerPrice, priceText } from './describe-offer.js'
import type { Io } from './io.js'
import { readSecret } from './keys.js'
import { parseCommandArgs } from './parse-command-args.js'

export const DISCOVER_USAGE = `Usage: open402 discover <facilitator-url> [words…] [options]

Searches a facilitator's catalog of paid resources (GET /discovery/resources, the x402 "bazaar") and
lists each resource with its offers.

Options:
  --network NET            only offers on this CAIP-2 network
  --scheme S               only offers of this scheme (e.g. exact)
  --pay-asset ADDR         only offers in this asset
  --max-price PRICE        only offers up to PRICE: dollars ('$0.01') or atomic units (10000)
  --type T                 http or mcp
  --limit N, --offset N    page through the catalog (limit 1-100, default 20)
  --asset NET=ADDR:DEC     a token's decimals, for prices in dollars; repeatable
  --api-key-file PATH      file holding an API key sent as 'Authorization: Bearer …'
                           (or env OPEN402_FACILITATOR_API_KEY)
  --json                   print the catalog page as JSON
  -h, --help               show this help

Words after the URL must all appear in a resource's description, tags, URL or operation.
`

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const number = Number(value)
  if (!Number.isInteger(number) || number < 0)
    throw usageError(`--${name} must be a whole number, got ${value}`)
  return number
}

export async function discoverCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('discover', argv, {
    network: { type: 'string' },
    scheme: { type: 'string' },
    'pay-asset': { type: 'string' },
    'max-price': { type: 'string' },
    type: { type: 'string' },
    limit: { type: 'string' },
    offset: { type: 'string' },
    asset: { type: 'string', multiple: true },
    'api-key-file': { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.stdout(DISCOVER_USAGE)
    return 0
  }
  const [url, ...words] = positionals
  if (url === undefined) throw usageError('discover takes the URL of a facilitator')
  if (!/^https?:\/\/[^/]/i.test(url)) throw usageError(`not an http(s) URL: ${url}`)
  const assets = parseAssets(values.asset)
  const filters: DiscoveryFilters = {}
  if (values.network !== undefined) filters.network = values.network
  if (values.scheme !== undefined) filters.scheme = values.scheme
  if (values['pay-asset'] !== undefined) filters.asset = values['pay-asset']
  if (values['max-price'] !== undefined) filters.maxPrice = values['max-price']
  if (values.type !== undefined) filters.type = values.type
  const limit = integer('limit', values.limit)
  const offset = integer('offset', values.offset)
  if (limit !== undefined) filters.limit = limit
  if (offset !== undefined) filters.offset = offset
  if (words.length > 0) filters.q = words.join(' ')
  const apiKey = readSecret({
    env: io.env,
    variable: 'OPEN402_FACILITATOR_API_KEY',
    file: values['api-key-file'],
    fileFlag: 'api-key-file',
  })
  const page = await discoverResources(
    { url, fetch: io.fetch, ...(apiKey ? { headers: { Authorization: `Bearer ${apiKey}` } } : {}) },
    filters,
  )
  if (values.json) {
    io.stdout(`${JSON.stringify(page)}\n`)
    return 0
  }
  const { total, offset: from } = page.pagination
  const shown = page.items.length
  io.stdout(
    shown === 0
      ? `no resource matches (${total} in the catalog for these filters)\n`
      : `${from + 1}-${from + shown} of ${total} resources:\n`,
  )
  for (const item of page.items) {
    const about = item.description ? ` ${item.description}` : ''
    io.stdout(`\n${item.resource} (${item.type})${about}\n`)
    if (item.tags && item.tags.length > 0) io.stdout(`  tags: ${item.tags.join(', ')}\n`)
    for (const offer of item.accepts) {
      io.stdout(
        `  ${offer.scheme} on ${offer.network}: ${priceText(offerPrice(offer, assets))}, to ${offer.payTo}\n`,
      )
    }
  }
  return 0
}
