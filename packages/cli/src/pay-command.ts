import {
  allowNetworks,
  type Caip2,
  createPaymentClient,
  decodePaymentRequired,
  isX402Error,
  maxAmount,
  PAYMENT_REQUIRED_HEADER,
  type PaymentPolicy,
  type PaymentRequirements,
  type SchemeClient,
  type SettleResponse,
} from '@open402/core'
import { exactEvmClient } from '@open402/evm'
import { getPaymentResponse, wrapFetch } from '@open402/fetch'
import { exactSvmClient } from '@open402/svm'
import { createKeyPairSignerFromBytes, getBase58Encoder } from '@solana/kit'
import { type Hex, isHex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { type CliAssets, parseAssets } from './assets.js'
import { CliError, usageError } from './cli-error.js'
import { type OfferPrice, offerPrice, priceText } from './describe-offer.js'
import { buildRequest, fetchOrExplain, REQUEST_OPTIONS, REQUEST_USAGE } from './http-request.js'
import type { Io } from './io.js'
import { readSecret, refusedFlagKey } from './keys.js'
import { parseCommandArgs, splitPair } from './parse-command-args.js'

export const PAY_USAGE = `Usage: open402 pay <url> [options]

Fetches <url>; when it answers 402, shows the price and asks before paying (on a terminal), pays with the
exact scheme on an EVM chain (EIP-3009) or on Solana, then prints the content on stdout and the receipt
(PAYMENT-RESPONSE: network, transaction, payer) on stderr.

Keys come from the environment or a file, never from a flag's value:
  OPEN402_EVM_KEY          EVM private key, 0x + 64 hex digits    (or --key-file PATH)
  OPEN402_SOLANA_KEY       Solana secret key, base58 of 64 bytes  (or --solana-key-file PATH; the file
                           may also hold a JSON array of 64 bytes, as solana-keygen writes it)

Options:
  --yes                    pay without asking
  --max PRICE              pay without asking when the price is at most PRICE dollars (e.g. '$0.10');
                           refuse above it
  --network NET            pay only on this CAIP-2 network (repeatable)
  --asset NET=ADDR:DEC     a token's decimals, for prices in dollars and --max (e.g. the devnet token
                           eip155:31337=0x…:6); USDC on known networks needs none; repeatable
  --rpc NET=URL            the Solana RPC of a network (e.g. solana:EtWT…=http://127.0.0.1:8899);
                           EVM payments are signatures and need none
  --key-file PATH          file holding the EVM private key
  --solana-key-file PATH   file holding the Solana secret key
${REQUEST_USAGE}
  --json                   print one JSON object (status, offer, price, receipt, body) instead
  -h, --help               show this help

Without --yes or --max, a payment is confirmed on the terminal; with stdin not a terminal it is refused.
Exit code 0 on a 2xx answer; 1 when not paid (refused, declined, rejected) or the answer is not 2xx;
2 on bad usage.
`

export async function payCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('pay', argv, {
    ...REQUEST_OPTIONS,
    yes: { type: 'boolean', short: 'y' },
    max: { type: 'string' },
    network: { type: 'string', multiple: true },
    asset: { type: 'string', multiple: true },
    rpc: { type: 'string', multiple: true },
    'key-file': { type: 'string' },
    'solana-key-file': { type: 'string' },
    // Accepted only to refuse them with a clear message.
    key: { type: 'string' },
    'private-key': { type: 'string' },
    'evm-key': { type: 'string' },
    'solana-key': { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.stdout(PAY_USAGE)
    return 0
  }
  for (const flag of ['key', 'private-key', 'evm-key'] as const) {
    if (values[flag] !== undefined) throw refusedFlagKey(flag, 'OPEN402_EVM_KEY', 'key-file')
  }
  if (values['solana-key'] !== undefined) {
    throw refusedFlagKey('solana-key', 'OPEN402_SOLANA_KEY', 'solana-key-file')
  }
  if (positionals.length !== 1) throw usageError('pay takes one URL')
  const { url, init } = buildRequest(positionals[0], values)
  const assets = parseAssets(values.asset)
  const json = values.json === true
  const progress = (line: string) => {
    if (!json) io.progress(line)
  }

  const policies: PaymentPolicy[] = []
  if (values.max !== undefined) {
    try {
      policies.push(maxAmount(values.max))
    } catch (error) {
      throw usageError(`--max takes a dollar price such as '$0.10': ${(error as Error).message}`)
    }
  }
  if (values.network !== undefined) policies.push(allowNetworks(values.network as Caip2[]))
  const client = createPaymentClient({ schemes: await schemeClients(values, assets, io), policies })

  let chosen: { offer: PaymentRequirements; price: OfferPrice } | undefined
  let sentAt = 0
  // Set while the payment is being created (after the 402, before onPayment): a network error then comes
  // from the chain's RPC (Solana reads a recent blockhash), not from the site.
  let signingOn: string[] | undefined
  const paidFetch = wrapFetch(io.fetch, client, {
    onPaymentRequired: (paymentRequired) => {
      signingOn = paymentRequired.accepts.map((offer) => offer.network)
      const count = paymentRequired.accepts.length
      progress(`← 402 Payment Required, ${count} offer${count === 1 ? '' : 's'}`)
      for (const offer of paymentRequired.accepts) {
        progress(`    ${offer.scheme} on ${offer.network}: ${priceText(offerPrice(offer, assets))}`)
      }
    },
    onPayment: async (payment) => {
      signingOn = undefined
      const offer = payment.accepted
      const price = offerPrice(offer, assets)
      chosen = { offer, price }
      const what = `${price.dollars ?? `${price.atomic} atomic units of ${offer.asset}`} on ${offer.network} to ${offer.payTo}`
      progress(`  price: ${priceText(price)}, on ${offer.network}, to ${offer.payTo}`)
      if (values.yes !== true && values.max === undefined) {
        if (!io.interactive) {
          throw new CliError(
            `not paid: ${what} needs a confirmation, and stdin is not a terminal; pass --yes, or --max '$…' to pay up to a price`,
          )
        }
        if (!(await io.confirm(`Pay ${what}?`))) throw new CliError('not paid: declined')
      }
      sentAt = Date.now()
      progress(
        `  ✍ signed; sending the paid request, settled on ${offer.network} by the server's facilitator…`,
      )
    },
  })

  progress(`→ ${init.method} ${url}`)
  let response: Response
  try {
    response = await fetchOrExplain(paidFetch, url, init)
  } catch (error) {
    if (isX402Error(error)) throw new CliError(`not paid: ${error.message}`)
    if (signingOn !== undefined && error instanceof CliError) {
      const solana = signingOn.filter((network) => network.startsWith('solana:'))
      const reason = error.message.slice(error.message.lastIndexOf(': ') + 2)
      const hint =
        solana.length > 0
          ? `; a Solana payment reads the chain through its RPC (--rpc ${solana[0]}=<url>)`
          : ''
      throw new CliError(`not paid: creating the payment failed: ${reason}${hint}`)
    }
    throw error
  }
  if (chosen !== undefined) progress(`  answered in ${((Date.now() - sentAt) / 1000).toFixed(1)} s`)
  let receipt: SettleResponse | undefined
  try {
    receipt = getPaymentResponse(response)
  } catch (error) {
    progress(`  (the PAYMENT-RESPONSE header does not decode: ${(error as Error).message})`)
  }
  const body = new Uint8Array(await response.arrayBuffer())
  const contentType = response.headers.get('content-type') ?? ''
  const textual = body.length === 0 || /^text\/|json|xml|javascript|event-stream/i.test(contentType)
  const rejection = chosen !== undefined && response.status === 402 ? rejectionOf(response) : undefined

  if (json) {
    io.stdout(
      `${JSON.stringify({
        url,
        method: init.method,
        status: response.status,
        paid: chosen !== undefined && receipt?.success === true,
        offer: chosen?.offer ?? null,
        price: chosen?.price ?? null,
        receipt: receipt ?? null,
        ...(rejection === undefined ? {} : { rejection }),
        contentType,
        ...(textual
          ? { body: new TextDecoder().decode(body) }
          : { body: Buffer.from(body).toString('base64'), bodyEncoding: 'base64' }),
      })}\n`,
    )
  } else {
    progress(`← ${response.status} ${response.statusText}${contentType ? ` (${contentType})` : ''}`)
    io.stdout(body)
    if (textual && body.length > 0 && body[body.length - 1] !== 10 && io.interactive) io.stdout('\n')
    if (receipt !== undefined) progress(receiptText(receipt, chosen?.price))
    else if (chosen === undefined) progress('  no payment was asked')
  }
  if (rejection !== undefined) throw new CliError(`payment rejected by the server: ${rejection}`)
  if (!response.ok) {
    if (!json) io.stderr(`open402 pay: ${url} answered ${response.status} ${response.statusText}\n`)
    return 1
  }
  return 0
}

function receiptText(receipt: SettleResponse, price: OfferPrice | undefined): string {
  const amount = price ? (price.dollars ?? `${price.atomic} atomic units`) : undefined
  const lines = receipt.success
    ? [`receipt: paid${amount ? ` ${amount}` : ''} on ${receipt.network}`]
    : [`receipt: not settled on ${receipt.network}${receipt.errorReason ? ` (${receipt.errorReason})` : ''}`]
  if (receipt.transaction) lines.push(`  transaction ${receipt.transaction}`)
  if (receipt.payer) lines.push(`  payer ${receipt.payer}`)
  return lines.join('\n')
}

/** The reason a paid request was answered 402 again, from its PAYMENT-REQUIRED `error`. */
function rejectionOf(response: Response): string {
  const header = response.headers.get(PAYMENT_REQUIRED_HEADER)
  if (header === null) return 'answered 402 again'
  try {
    return decodePaymentRequired(header).error ?? 'answered 402 again'
  } catch {
    return 'answered 402 again'
  }
}

async function schemeClients(
  values: { 'key-file'?: string; 'solana-key-file'?: string; rpc?: string[] },
  assets: CliAssets,
  io: Io,
): Promise<SchemeClient[]> {
  const schemes: SchemeClient[] = []
  const evmKey = readSecret({
    env: io.env,
    variable: 'OPEN402_EVM_KEY',
    file: values['key-file'],
    fileFlag: 'key-file',
  })
  if (evmKey !== undefined) {
    const where = values['key-file'] === undefined ? 'OPEN402_EVM_KEY' : `the file ${values['key-file']}`
    const hex = (evmKey.startsWith('0x') ? evmKey : `0x${evmKey}`) as Hex
    if (!isHex(hex) || hex.length !== 66) {
      throw new CliError(`${where} does not hold an EVM private key (0x followed by 64 hex digits)`)
    }
    schemes.push(exactEvmClient({ account: privateKeyToAccount(hex), assets: assets.evm }))
  }
  const solanaKey = readSecret({
    env: io.env,
    variable: 'OPEN402_SOLANA_KEY',
    file: values['solana-key-file'],
    fileFlag: 'solana-key-file',
  })
  if (solanaKey !== undefined) {
    const where =
      values['solana-key-file'] === undefined ? 'OPEN402_SOLANA_KEY' : `the file ${values['solana-key-file']}`
    const signer = await createKeyPairSignerFromBytes(solanaSecretBytes(solanaKey, where)).catch(() => {
      throw new CliError(`${where} does not hold a valid Solana key pair (64 bytes: seed, then public key)`)
    })
    const rpc: Record<string, string> = {}
    for (const value of values.rpc ?? []) {
      const [network, rpcUrl] = splitPair('rpc', value)
      if (network.startsWith('solana:')) rpc[network] = rpcUrl
    }
    schemes.push(exactSvmClient({ signer, rpc, assets: assets.svm }))
  }
  if (schemes.length === 0) {
    throw usageError(
      'no key to pay with: set OPEN402_EVM_KEY or OPEN402_SOLANA_KEY, or pass --key-file / --solana-key-file',
    )
  }
  return schemes
}

function solanaSecretBytes(key: string, where: string): Uint8Array {
  let bytes: Uint8Array
  try {
    bytes = key.startsWith('[')
      ? Uint8Array.from(JSON.parse(key) as number[])
      : new Uint8Array(getBase58Encoder().encode(key))
  } catch {
    throw new CliError(`${where} is neither base58 nor a JSON array of bytes`)
  }
  if (bytes.length !== 64)
    throw new CliError(`${where} holds ${bytes.length} bytes, not the 64 of a Solana secret key`)
  return bytes
}
