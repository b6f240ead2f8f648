// The first example of README.md, kept runnable: if this test changes, change the README with it. The one
// difference: the agent listens on a free port, so its URL is known only once it listens.
import type { AddressInfo } from 'node:net'
import { type ServerType, serve } from '@hono/node-server'
import { createFacilitator, createPaymentClient, createResourceServer, maxAmount } from '@open402/core'
import { startDevnet, tokenBalance } from '@open402/devnet'
import { exactEvmClient } from '@open402/evm/client'
import { exactEvmFacilitator } from '@open402/evm/facilitator'
import { exactEvmServer } from '@open402/evm/server'
import { privateKeyToAccount } from 'viem/accounts'
import { expect, test } from 'vitest'
import { createPaidAgent, createPayingAgentClient, type PaidAgent } from '../src/index.js'

test('the README example: one agent hires another and pays $0.01 for a summary', async () => {
  const devnet = await startDevnet({ chains: ['evm'] })
  let server: ServerType | undefined
  try {
    const { network, rpcUrl, token, accounts } = devnet.evm
    let agent: PaidAgent | undefined
    const origin = await new Promise<string>((resolve) => {
      server = serve(
        { fetch: (request) => (agent as PaidAgent).fetch(request), port: 0, hostname: '127.0.0.1' },
        (info: AddressInfo) => resolve(`http://127.0.0.1:${info.port}`),
      )
    })

    // The serving agent: sells summaries at $0.01 a task.
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
    agent = createPaidAgent({
      card: { name: 'Summarizer', description: 'Summaries, paid per task', url: `${origin}/a2a` },
      resourceServer,
      skills: {
        summarize: {
          description: 'Summarizes a text in a few words',
          accepts: { scheme: 'exact', network, price: '$0.01', payTo: accounts.merchant.address },
          work: async (request) => {
            const text = request.parts.map((part) => (part.kind === 'text' ? part.text : '')).join(' ')
            return `${text.split(' ').slice(0, 4).join(' ')}…`
          },
        },
      },
    })

    // The client agent: pays up to $0.05 a task from its wallet.
    const client = createPayingAgentClient({
      url: origin,
      paymentClient: createPaymentClient({
        schemes: [
          exactEvmClient({
            account: privateKeyToAccount(accounts.payer.privateKey),
            assets: { [network]: token },
          }),
        ],
        policies: [maxAmount('$0.05')],
      }),
    })

    const before = await tokenBalance(devnet, accounts.merchant.address)
    const { task, receipts } = await client.send('Agents can pay each other for work over A2A', {
      skill: 'summarize',
    })
    expect(task?.status.state).toBe('completed')
    expect(task?.artifacts?.[0]?.parts).toEqual([{ kind: 'text', text: 'Agents can pay each…' }])
    expect(receipts[0]?.success).toBe(true) // receipts[0].transaction is the transfer's hash
    expect(await tokenBalance(devnet, accounts.merchant.address)).toBe(before + 10_000n)
  } finally {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
    await devnet.stop()
  }
})
