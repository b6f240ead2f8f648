import {
  decodePaymentRequired,
  decodePaymentResponse,
  decodePaymentSignature,
  PAYMENT_REQUIRED_HEADER,
  PAYMENT_RESPONSE_HEADER,
  PAYMENT_SIGNATURE_HEADER,
  type PaymentPayload,
  type PaymentRequired,
  type PaymentRequirements,
  paymentRequiredFromV1,
  readPaymentRequiredV1,
  type SettleResponse,
} from '@open402/core'
import { type CliAssets, parseAssets } from './assets.js'
import { CliError, usageError } from './cli-error.js'
import { type OfferPrice, offerPrice, priceText } from './describe-offer.js'
import { buildRequest, fetchOrExplain, REQUEST_OPTIONS, REQUEST_USAGE } from './http-request.js'
import type { Io } from './io.js'
import { parseCommandArgs } from './parse-command-args.js'

export const INSPECT_USAGE = `Usage: open402 inspect <url> [options]
       open402 inspect '<PAYMENT-REQUIRED | PAYMENT-SIGNATURE | PAYMENT-RESPONSE header value>'

Requests <url> without paying and explains its 402: the resource, each offer (scheme, network, asset,
recipient, price in dollars and atomic units) and the extensions. Given a header value instead of a URL
(optionally prefixed by its name, 'PAYMENT-SIGNATURE: eyJ…'), decodes and explains it.

Options:
${REQUEST_USAGE}
  --asset NET=ADDR:DEC     a token's decimals, for prices in dollars (e.g. the devnet token
                           eip155:31337=0x…:6); USDC on known networks needs none; repeatable
  --json                   print one JSON object instead of text
  -h, --help               show this help

Exit code 0 when the URL answered (402 or not) or the header decoded; 1 on a network or decoding error,
2 on bad usage.
`

interface ExplainedOffer extends PaymentRequirements {
  price: OfferPrice
}

export async function inspectCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('inspect', argv, {
    ...REQUEST_OPTIONS,
    asset: { type: 'string', multiple: true },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.stdout(INSPECT_USAGE)
    return 0
  }
  if (positionals.length !== 1) throw usageError('inspect takes one URL or header value')
  const target = positionals[0] as string
  const assets = parseAssets(values.asset)
  // A header value is base64 (standard alphabet), maybe prefixed by its name; anything else is a URL.
  if (/^\s*PAYMENT-[A-Z]+\s*:/i.test(target) || /^[A-Za-z0-9+/]{16,}={0,2}$/.test(target)) {
    return explainHeaderValue(target, assets, values.json === true, io)
  }
  const { url, init } = buildRequest(target, values)
  if (!values.json) io.progress(`→ ${init.method} ${url}`)
  const response = await fetchOrExplain(io.fetch, url, init)
  const header = response.headers.get(PAYMENT_REQUIRED_HEADER)
  let paymentRequired: PaymentRequired | undefined
  let version = 2
  if (response.status === 402 && header !== null) {
    paymentRequired = decodePaymentRequired(header)
  } else if (response.status === 402) {
    const v1 = readPaymentRequiredV1(await response.text())
    if (v1 !== undefined) {
      paymentRequired = paymentRequiredFromV1(v1)
      version = 1
    }
  }
  if (values.json) {
    io.stdout(
      `${JSON.stringify({
        url,
        method: init.method,
        status: response.status,
        paymentRequired: paymentRequired ?? null,
        offers: paymentRequired ? explainOffers(paymentRequired, assets) : [],
        ...(version === 1 ? { wireVersion: 1 } : {}),
      })}\n`,
    )
    return 0
  }
  if (paymentRequired === undefined) {
    io.stdout(
      response.status === 402
        ? `${response.status} ${response.statusText}, but no ${PAYMENT_REQUIRED_HEADER} header nor x402 V1 body: not an x402 payment request\n`
        : `${response.status} ${response.statusText}: no payment required\n`,
    )
    return 0
  }
  io.stdout(`402 Payment Required${version === 1 ? ' (x402 V1, shown as V2)' : ''}\n`)
  io.stdout(paymentRequiredText(paymentRequired, assets))
  return 0
}

function explainOffers(paymentRequired: PaymentRequired, assets: CliAssets): ExplainedOffer[] {
  return paymentRequired.accepts.map((offer) => ({ ...offer, price: offerPrice(offer, assets) }))
}

function offerLines(offer: PaymentRequirements, assets: CliAssets, indent: string): string {
  const lines = [
    `${offer.scheme} on ${offer.network}: ${priceText(offerPrice(offer, assets))}`,
    `asset ${offer.asset}`,
    `pay to ${offer.payTo}`,
    `valid for ${offer.maxTimeoutSeconds} s`,
  ]
  if (offer.extra && Object.keys(offer.extra).length > 0) lines.push(`extra ${JSON.stringify(offer.extra)}`)
  return lines.map((line, index) => (index === 0 ? line : `${indent}${line}`)).join('\n')
}

function extensionsText(extensions: Record<string, unknown> | undefined): string {
  const names = Object.keys(extensions ?? {})
  if (names.length === 0) return 'extensions: none\n'
  return `extensions:\n${names.map((name) => `  ${name}: ${JSON.stringify(extensions?.[name])}\n`).join('')}`
}

/** The text explanation of a decoded `PAYMENT-REQUIRED`. */
export function paymentRequiredText(paymentRequired: PaymentRequired, assets: CliAssets): string {
  const { resource, accepts } = paymentRequired
  const about = [resource.description, resource.mimeType].filter(Boolean).join(', ')
  const lines = [`resource: ${resource.url}${about ? ` (${about})` : ''}`]
  if (paymentRequired.error) lines.push(`error: ${paymentRequired.error}`)
  lines.push(
    `x402 version ${paymentRequired.x402Version}, ${accepts.length} offer${accepts.length === 1 ? '' : 's'}:`,
  )
  accepts.forEach((offer, index) => {
    lines.push(`  ${index + 1}. ${offerLines(offer, assets, '     ')}`)
  })
  return `${lines.join('\n')}\n${extensionsText(paymentRequired.extensions)}`
}

type Decoded =
  | { header: typeof PAYMENT_REQUIRED_HEADER; value: PaymentRequired }
  | { header: typeof PAYMENT_SIGNATURE_HEADER; value: PaymentPayload }
  | { header: typeof PAYMENT_RESPONSE_HEADER; value: SettleResponse }

const DECODERS = {
  [PAYMENT_REQUIRED_HEADER]: decodePaymentRequired,
  [PAYMENT_SIGNATURE_HEADER]: decodePaymentSignature,
  [PAYMENT_RESPONSE_HEADER]: decodePaymentResponse,
} as const

function decodeHeader(input: string): Decoded {
  const match = /^\s*(PAYMENT-[A-Z]+)\s*:\s*(.*)$/is.exec(input)
  const named = match?.[1]?.toUpperCase()
  const value = (match ? match[2] : input)?.trim() ?? ''
  const names = (named ? [named] : Object.keys(DECODERS)) as (keyof typeof DECODERS)[]
  let lastError: unknown
  for (const header of names) {
    const decode = DECODERS[header]
    if (decode === undefined)
      throw usageError(`unknown header ${named}: expected PAYMENT-REQUIRED, -SIGNATURE or -RESPONSE`)
    try {
      return { header, value: decode(value) } as Decoded
    } catch (error) {
      lastError = error
    }
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError)
  throw new CliError(
    named
      ? `cannot decode ${named}: ${reason}`
      : `neither a URL nor a PAYMENT-REQUIRED, PAYMENT-SIGNATURE or PAYMENT-RESPONSE header value (${reason})`,
  )
}

function explainHeaderValue(input: string, assets: CliAssets, json: boolean, io: Io): number {
  const decoded = decodeHeader(input)
  if (json) {
    const offers =
      decoded.header === PAYMENT_REQUIRED_HEADER ? { offers: explainOffers(decoded.value, assets) } : {}
    io.stdout(`${JSON.stringify({ header: decoded.header, value: decoded.value, ...offers })}\n`)
    return 0
  }
  io.stdout(`${decoded.header}\n`)
  if (decoded.header === PAYMENT_REQUIRED_HEADER) {
    io.stdout(paymentRequiredText(decoded.value, assets))
  } else if (decoded.header === PAYMENT_SIGNATURE_HEADER) {
    const { accepted, resource, payload, extensions } = decoded.value
    const lines = [
      `x402 version ${decoded.value.x402Version}`,
      ...(resource ? [`resource: ${resource.url}`] : []),
      `pays: ${offerLines(accepted, assets, '      ')}`,
      `payload: ${JSON.stringify(payload)}`,
    ]
    io.stdout(`${lines.join('\n')}\n${extensionsText(extensions)}`)
  } else {
    const { success, transaction, network, payer, errorReason } = decoded.value
    const lines = [
      success ? 'settled: yes' : `settled: no${errorReason ? ` (${errorReason})` : ''}`,
      `network: ${network}`,
      ...(transaction ? [`transaction: ${transaction}`] : []),
      ...(payer ? [`payer: ${payer}`] : []),
    ]
    io.stdout(`${lines.join('\n')}\n${extensionsText(decoded.value.extensions)}`)
  }
  return 0
}
