import {
  allowNetworks,
  budget,
  createPaymentClient,
  formatAtomicUnits,
  isX402Error,
  maxAmount,
} from '@open402/core'
import { svmTokenBalance, tokenBalance } from '@open402/devnet'
import { exactEvmClient } from '@open402/evm/client'
import { getPaymentResponse, wrapFetch } from '@open402/fetch'
import { siwxClient } from '@open402/siwx'
import { evmSiwxSigner } from '@open402/siwx/evm'
import { solanaSiwxSigner } from '@open402/siwx/solana'
import { exactSvmClient } from '@open402/svm/client'
import { createKeyPairSignerFromBytes, getBase58Encoder } from '@solana/kit'
import { privateKeyToAccount } from 'viem/accounts'
import type { DemoStack } from './stack.js'

export type Chain = 'evm' | 'svm'

export interface AgentReport {
  path: string
  /** `paid`, or `signed-in` for the return visit let in by sign-in-with-x without paying. */
  kind: 'paid' | 'signed-in'
  chain: Chain
  network: string
  status: number
  price: string
  transaction: string
  payerPaid: bigint
  merchantReceived: bigint
}

const CHAIN_NAMES: Record<Chain, string> = { evm: 'EVM', svm: 'Solana' }

/** The JSON body the agent sends to routes that need one: 200 tokens of the per-token completion. */
const BODIES: Record<string, unknown> = { '/api/complete': { maxTokens: 200 } }

/** Reads a server-sent-events body as it arrives, logging each `token` event; returns the text. */
async function readEvents(response: Response, log: (line: string) => void): Promise<string> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  const words: string[] = []
  let buffer = ''
  for (;;) {
    const { value, done } = await reader.read()
    buffer += decoder.decode(value, { stream: !done })
    let end = buffer.indexOf('\n\n')
    while (end >= 0) {
      const event = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const data = /^data: ?(.*)$/m.exec(event)?.[1] ?? ''
      if (/^event: token$/m.test(event)) {
        words.push(data)
        log(`  ⇣ token ${words.length}: ${data}`)
      }
      end = buffer.indexOf('\n\n')
    }
    if (done) break
  }
  return words.join(' ')
}

/**
 * An agent that reads each route's price from the 402, pays it within a budget, and prints every step:
 * routes alternate between the EVM chain and Solana (every route accepts both); a streamed completion's
 * tokens are printed as they arrive. Then it reads the article again: it signs in with the wallet that
 * bought it (sign-in-with-x) and is let in without paying a second time.
 */
export async function runAgent(stack: DemoStack, log: (line: string) => void): Promise<AgentReport[]> {
  const { evm, svm } = stack.devnet
  const account = privateKeyToAccount(evm.accounts.payer.privateKey)
  const evmClient = exactEvmClient({ account, assets: { [evm.network]: evm.token } })
  const svmSigner = await createKeyPairSignerFromBytes(
    getBase58Encoder().encode(svm.accounts.payer.secretKey),
  )
  const svmClient = exactSvmClient({
    signer: svmSigner,
    rpc: { [svm.network]: svm.rpcUrl },
    assets: { [svm.network]: svm.mint },
  })
  // Remembers where the agent paid, and signs a sign-in-with-x challenge there with the wallet that paid.
  const signIn = siwxClient({ signers: [evmSiwxSigner(account), solanaSiwxSigner(svmSigner)] })
  const chains = {
    evm: {
      network: evm.network,
      decimals: evm.token.decimals,
      symbol: evm.token.symbol,
      balances: () =>
        Promise.all([
          tokenBalance(stack.devnet, evm.accounts.payer.address),
          tokenBalance(stack.devnet, evm.accounts.merchant.address),
        ]),
    },
    svm: {
      network: svm.network,
      decimals: svm.mint.decimals,
      symbol: svm.mint.symbol,
      balances: () =>
        Promise.all([
          svmTokenBalance(stack.devnet, svm.accounts.payer.address),
          svmTokenBalance(stack.devnet, svm.accounts.merchant.address),
        ]),
    },
  }

  stack.onEvent((event) => {
    if (event.kind === 'verified') {
      log(
        event.isValid
          ? `  ✓ facilitator verified the payment from ${event.payer}`
          : `  ✗ verify: ${event.reason}`,
      )
    } else if (event.success) {
      log(`  ✓ settled in transaction ${event.transaction}`)
    } else {
      log(`  ✗ settlement failed: ${event.reason}`)
    }
  })

  // The exact routes, alternating chains (the upto generation is paid in its own step, payForWhatWasUsed).
  const plan: { route: DemoStack['routes'][number]; chain: Chain }[] = stack.routes
    .filter((route) => route.scheme === undefined)
    .map((route, index) => ({ route, chain: index % 2 === 0 ? 'evm' : 'svm' }))
  const reports: AgentReport[] = []
  for (const { route, chain } of plan) {
    const { network, decimals, symbol, balances } = chains[chain]
    const usd = (atomic: bigint | string) => `$${formatAtomicUnits(atomic, decimals)}`
    // Both scheme clients are registered; the policy picks this round's chain out of the offers.
    const client = createPaymentClient({
      schemes: [evmClient, svmClient],
      policies: [maxAmount('$0.10'), allowNetworks([network])],
    })
    const paidFetch = wrapFetch(fetch, client, {
      onPaymentRequired: (paymentRequired) => {
        log(`  ← 402 Payment Required, ${paymentRequired.accepts.length} offers:`)
        for (const offer of paymentRequired.accepts)
          log(`    ${offer.amount} atomic units on ${offer.network}, to ${offer.payTo}`)
        const first = paymentRequired.accepts[0]
        if (first && BODIES[new URL(paymentRequired.resource.url).pathname])
          log(`  price computed by the server for this request: ${usd(first.amount)}`)
      },
      onPayment: (payload) => {
        const what = chain === 'evm' ? 'an EIP-3009 authorization' : 'a TransferChecked transaction'
        log(`  ✍ paying ${usd(payload.accepted.amount)} on ${CHAIN_NAMES[chain]}: signed ${what}`)
      },
      signIn,
    })

    const url = `${stack.serverUrl}${route.path}`
    const [payerBefore, merchantBefore] = await balances()
    const json = BODIES[route.path]
    log(
      `\n→ ${route.method} ${url}${json ? ` ${JSON.stringify(json)}` : ''} (paying on ${CHAIN_NAMES[chain]}, ${network})`,
    )
    const response = await paidFetch(url, {
      method: route.method,
      ...(json ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(json) } : {}),
    })
    const streamed = response.headers.get('Content-Type')?.startsWith('text/event-stream') ?? false
    const text = streamed ? await readEvents(response, log) : await response.text()
    // An HTML page is shown by its heading.
    const heading = /<h1>([^<]*)<\/h1>/.exec(text)?.[1]
    const body =
      response.headers.get('Content-Type')?.startsWith('text/html') && heading
        ? `an HTML page, "${heading}"`
        : text
    const settlement = getPaymentResponse(response)
    const [payerAfter, merchantAfter] = await balances()
    log(`  ← ${response.status} ${response.statusText}: ${body.trim().split('\n')[0]}`)
    const units = (atomic: bigint) => `${formatAtomicUnits(atomic, decimals)} ${symbol}`
    log(`  payer    ${units(payerBefore)} → ${units(payerAfter)}`)
    log(`  merchant ${units(merchantBefore)} → ${units(merchantAfter)}`)
    reports.push({
      path: route.path,
      kind: 'paid',
      chain,
      network,
      status: response.status,
      price: route.price,
      transaction: settlement?.transaction ?? '',
      payerPaid: payerBefore - payerAfter,
      merchantReceived: merchantAfter - merchantBefore,
    })
  }

  // The return visit: the 402 offers a sign-in-with-x challenge; the agent paid this article on Solana, so
  // it signs the challenge with that wallet and is let in without a second payment.
  const article = `${stack.serverUrl}/articles/why-402`
  log(`\n→ GET ${article} again (a return visit)`)
  const [payerBefore, merchantBefore] = await chains.svm.balances()
  const again = await wrapFetch(fetch, createPaymentClient({ schemes: [evmClient, svmClient] }), {
    signIn,
    onPayment: () => log('  ✍ paying again (unexpected)'),
  })(article)
  const [payerAfter, merchantAfter] = await chains.svm.balances()
  const heading = /<h1>([^<]*)<\/h1>/.exec(await again.text())?.[1]
  log(
    `  ← ${again.status} ${again.statusText}: ${heading ? `"${heading}"` : '(no article)'}, let in by signing in with the wallet that paid (SIGN-IN-WITH-X), no payment`,
  )
  log(
    `  payer    ${formatAtomicUnits(payerBefore, 6)} → ${formatAtomicUnits(payerAfter, 6)} USDC (unchanged)`,
  )
  reports.push({
    path: '/articles/why-402',
    kind: 'signed-in',
    chain: 'svm',
    network: svm.network,
    status: again.status,
    price: '$0.05',
    transaction: getPaymentResponse(again)?.transaction ?? '',
    payerPaid: payerBefore - payerAfter,
    merchantReceived: merchantAfter - merchantBefore,
  })
  return reports
}

/**
 * The agent again, now with a small daily budget per host: the $0.05 article does not fit, so it refuses
 * before signing anything and says which policy refused and why. Returns that explanation.
 */
export async function explainBudgetRefusal(stack: DemoStack, log: (line: string) => void): Promise<string> {
  const { evm } = stack.devnet
  const client = createPaymentClient({
    schemes: [
      exactEvmClient({
        account: privateKeyToAccount(evm.accounts.payer.privateKey),
        assets: { [evm.network]: evm.token },
      }),
    ],
    policies: [budget({ max: '$0.02', per: 'host', window: 'day' }), allowNetworks([evm.network])],
  })
  const url = `${stack.serverUrl}/articles/why-402`
  log(`\n→ GET ${url} again, with a budget of $0.02 per host per day`)
  try {
    const response = await wrapFetch(fetch, client)(url)
    return `unexpected: the request was answered ${response.status}`
  } catch (error) {
    if (!isX402Error(error, 'payment_refused_by_policy')) throw error
    log(`  ✋ not paid: ${error.message}`)
    return error.message
  }
}
