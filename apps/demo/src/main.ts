// `pnpm demo`: start local EVM and Solana chains, a facilitator and a paid API; an agent pays each route,
// alternating chains (the last one a completion priced per token and streamed after settling), reads the
// article again signed in instead of paying, a new agent finds the weather API through the facilitator's
// catalog and pays it, a request whose answer the network loses is retried and charged once, and an agent
// calls a paid MCP tool and hires another agent over A2A, and a generation is paid for what it used
// (upto: $0.10 authorized, the tokens generated settled), and a price feed is billed per update it
// delivered (a metered stream the agent leaves at its cap); exit 0.
// `pnpm demo --serve`: keep the stack running and print one line of JSON describing it (see README).
import { explainBudgetRefusal, runAgent } from './agent.js'
import { discoverAndPay, retryAfterLostAnswer } from './agent-discovery-and-retry.js'
import { followPriceFeed, payForWhatWasUsed } from './agent-pays-for-use.js'
import { agentsAtWork } from './agents-at-work.js'
import { startDemoStack } from './stack.js'

const serve = process.argv.includes('--serve')
const portArg = process.argv.find((arg) => arg.startsWith('--port='))
const log = serve ? (line: string) => process.stderr.write(`${line}\n`) : (line: string) => console.log(line)

const stack = await startDemoStack({ port: portArg ? Number(portArg.slice('--port='.length)) : undefined })
let stopping = false
const stop = async (code: number) => {
  if (stopping) return
  stopping = true
  await stack.stop()
  process.exit(code)
}
process.on('SIGINT', () => void stop(0))
process.on('SIGTERM', () => void stop(0))

if (serve) {
  process.stdout.write(
    `${JSON.stringify({
      server: stack.serverUrl,
      article: `${stack.serverUrl}/articles/why-402`,
      mcp: `${stack.serverUrl}/mcp`,
      agent: `${stack.serverUrl}/.well-known/agent-card.json`,
      facilitator: stack.facilitatorUrl,
      routes: stack.routes,
      devnet: stack.devnet.describe(),
    })}\n`,
  )
  log(`open402 demo is serving at ${stack.serverUrl} (Ctrl-C to stop)`)
  log(
    `open ${stack.serverUrl}/articles/why-402 in a browser whose wallet is on chain ${stack.devnet.evm.chainId} (${stack.devnet.evm.rpcUrl}) with the payer's key, to buy the article`,
  )
} else {
  try {
    log('open402 demo: a paid API on a local chain, and an agent that pays it')
    log(
      `chain ${stack.devnet.evm.network} at ${stack.devnet.evm.rpcUrl}; facilitator ${stack.facilitatorUrl}`,
    )
    const reports = await runAgent(stack, log)
    const retried = await retryAfterLostAnswer(stack, log)
    const discovered = await discoverAndPay(stack, log)
    const hired = await agentsAtWork(stack, log)
    const metered = await payForWhatWasUsed(stack, log)
    const feed = await followPriceFeed(stack, log)
    await explainBudgetRefusal(stack, log)
    const failed = [
      ...reports.filter((report) =>
        report.kind === 'paid'
          ? report.status !== 200 || report.merchantReceived <= 0n
          : report.status !== 200 || report.payerPaid !== 0n,
      ),
      ...[discovered, retried, ...hired, metered, feed].filter(
        (step) => step.status !== 200 || step.merchantReceived <= 0n,
      ),
    ]
    log(failed.length === 0 ? '\nAll payments settled.' : `\n${failed.length} request(s) did not complete.`)
    await stop(failed.length === 0 ? 0 : 1)
  } catch (error) {
    console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`)
    await stop(1)
  }
}
