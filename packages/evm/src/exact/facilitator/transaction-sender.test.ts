import { type Address, custom, keccak256 } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { createNetworkRuntime } from './network-runtime.js'
import { TransactionSender } from './transaction-sender.js'

const account = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d')
const call = {
  to: '0x5FbDB2315678afecb367f032d93F642f64180aa3' as Address,
  data: '0x1234' as const,
  gas: 100_000n,
}

/** A node that answers the reads a send needs and refuses raw transactions with `sendError`. */
function node(sendError: string) {
  const sent: string[] = []
  const transport = custom(
    {
      async request({ method, params }: { method: string; params?: unknown[] }) {
        if (method === 'eth_sendRawTransaction') {
          sent.push((params as string[])[0] as string)
          // What geth-like nodes answer: a JSON-RPC error object with code -32000.
          throw Object.assign(new Error(sendError), { code: -32000 })
        }
        if (method === 'eth_getTransactionCount') return '0x7'
        if (method === 'eth_chainId') return '0x7a69'
        if (method === 'eth_gasPrice' || method === 'eth_maxPriorityFeePerGas') return '0x3b9aca00'
        if (method === 'eth_getBlockByNumber')
          return { baseFeePerGas: '0x3b9aca00', number: '0x1', hash: `0x${'11'.repeat(32)}` }
        throw new Error(`unexpected ${method}`)
      },
    },
    { retryCount: 0 },
  )
  return { sent, runtime: createNetworkRuntime('eip155:31337', { transport }) }
}

describe('TransactionSender', () => {
  test('a node answering "already known" holds this very transaction: its hash is returned, nothing is re-sent', async () => {
    const { sent, runtime } = node('already known')
    const hash = await new TransactionSender(account, runtime).send(call)
    expect(sent).toHaveLength(1)
    expect(hash).toBe(keccak256(sent[0] as `0x${string}`))
  })

  test('a nonce error re-reads the nonce and re-sends once, then reports the refusal', async () => {
    const { sent, runtime } = node('nonce too low')
    await expect(new TransactionSender(account, runtime).send(call)).rejects.toThrow(
      /refused the settlement transaction/,
    )
    expect(sent).toHaveLength(2)
  })
})
