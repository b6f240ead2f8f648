import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { createPayingAgentClient } from '@open402/a2a'
import { budget, createMemoryBudgetStore, createPaymentClient, formatAtomicUnits } from '@open402/core'
import { svmTokenBalance, tokenBalance } from '@open402/devnet'
import { exactEvmClient } from '@open402/evm/client'
import { withPayments } from '@open402/mcp'
import { exactSvmClient } from '@open402/svm/client'
import { createKeyPairSignerFromBytes, getBase58Encoder } from '@solana/kit'
import { privateKeyToAccount } from 'viem/accounts'
import type { StepReport } from './agent-discovery-and-retry.js'
import type { DemoStack } from './stack.js'

/** A step of {@link agentsAtWork}: what was asked, the answer, and what the merchant received. */
export interface AgentStepReport extends StepReport {
  answer: string
}

/**
 * An agent at work, within one $0.02 daily budget: it calls the paid MCP tool `forecast` for three days
 * (priced per day, paid on the EVM chain), then hires the translator agent over A2A to put the forecast in
 * Portuguese (paid on Solana). Each payment is made only when asked for, and each merchant receives exactly
 * the price.
 */
export async function agentsAtWork(
  stack: DemoStack,
  log: (line: string) => void,
): Promise<AgentStepReport[]> {
  const { evm, svm } = stack.devnet
  const schemes = [
    exactEvmClient({
      account: privateKeyToAccount(evm.accounts.payer.privateKey),
      assets: { [evm.network]: evm.token },
    }),
    exactSvmClient({
      signer: await createKeyPairSignerFromBytes(getBase58Encoder().encode(svm.accounts.payer.secretKey)),
      rpc: { [svm.network]: svm.rpcUrl },
      assets: { [svm.network]: svm.mint },
    }),
  ]
  // One wallet, one daily budget shared by both payments; each payment prefers its own chain.
  const spent = createMemoryBudgetStore()
  const wallet = (network: string) =>
    createPaymentClient({
      schemes,
      policies: [budget({ max: '$0.02', window: 'day', store: spent })],
      prefer: { networks: [network as `${string}:${string}`] },
    })

  // 1. A paid MCP tool, over Streamable HTTP.
  const mcpUrl = `${stack.serverUrl}/mcp`
  log(`\n→ an agent connects to the MCP server ${mcpUrl} and calls the paid tool "forecast" for 3 days`)
  const mcp = new Client({ name: 'open402-demo-agent', version: '1.0.0' })
  await mcp.connect(new StreamableHTTPClientTransport(new URL(mcpUrl)))
  const evmBefore = await tokenBalance(stack.devnet, evm.accounts.merchant.address)
  let forecast: string
  let forecastTx: string
  try {
    const { tools } = await mcp.listTools()
    log(`  tools: ${tools.map((tool) => `${tool.name} (${tool.description})`).join('; ')}`)
    const paying = withPayments(mcp, { client: wallet(evm.network), url: stack.serverUrl })
    const { result, payment } = await paying.callTool({
      name: 'forecast',
      arguments: { city: 'Lisbon', days: 3 },
    })
    const first = result.content[0]
    forecast = first?.type === 'text' ? first.text : ''
    forecastTx = payment?.transaction ?? ''
  } finally {
    await mcp.close()
  }
  const forecastPaid = (await tokenBalance(stack.devnet, evm.accounts.merchant.address)) - evmBefore
  log(`  ← paid $${formatAtomicUnits(forecastPaid, evm.token.decimals)} on ${evm.network} (tx ${forecastTx})`)
  log(`  ← ${forecast}`)

  // 2. Another agent hired over A2A, paid on Solana.
  log(`\n→ the agent hires the translator agent at ${stack.serverUrl} over A2A (x402 extension)`)
  const translator = createPayingAgentClient({
    url: stack.serverUrl,
    paymentClient: wallet(svm.network),
  })
  const card = await translator.card()
  log(`  card: ${card.name}: ${card.description}; skills ${card.skills.map((skill) => skill.id).join(', ')}`)
  const svmBefore = await svmTokenBalance(stack.devnet, svm.accounts.merchant.address)
  const { task, receipts } = await translator.send(forecast, { skill: 'translate-pt' })
  const part = task?.artifacts?.[0]?.parts[0]
  const translation = part?.kind === 'text' ? part.text : ''
  const translationPaid = (await svmTokenBalance(stack.devnet, svm.accounts.merchant.address)) - svmBefore
  log(
    `  ← task ${task?.status.state}, paid $${formatAtomicUnits(translationPaid, svm.mint.decimals)} on ${svm.network} (tx ${receipts[0]?.transaction ?? ''})`,
  )
  log(`  ← ${translation}`)

  return [
    {
      url: `${mcpUrl}#forecast`,
      status: forecast === '' ? 402 : 200,
      network: evm.network,
      merchantReceived: forecastPaid,
      transaction: forecastTx,
      answer: forecast,
    },
    {
      url: card.url,
      status: task?.status.state === 'completed' ? 200 : 402,
      network: svm.network,
      merchantReceived: translationPaid,
      transaction: receipts[0]?.transaction ?? '',
      answer: translation,
    },
  ]
}
