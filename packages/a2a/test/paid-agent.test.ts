import { budget, isX402Error, maxAmount, type PaymentRequired, type SettleResponse } from '@open402/core'
import { type Devnet, devnetChain, svmTokenBalance, tokenBalance, usdcLikeTokenAbi } from '@open402/devnet'
import type { FacilitatorServer } from '@open402/facilitator'
import { createWalletClient, http } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createPayingAgentClient,
  EXTENSIONS_HEADER,
  type Task,
  X402_EXTENSION_LEGACY_URIS,
  X402_EXTENSION_URI,
  X402_METADATA,
} from '../src/index.js'
import {
  payingClient,
  rawRpc,
  type ServedAgent,
  serveAgent,
  startDevnet,
  startTestFacilitator,
  testResourceServer,
} from './support/agents.js'

const activate = { [EXTENSIONS_HEADER]: X402_EXTENSION_URI }

let devnet: Devnet
let facilitator: FacilitatorServer
let served: ServedAgent
const worked: string[] = []
const errors: string[] = []
// Runs inside the `report` skill's work, after the payment verified and before it is settled.
let duringWork: (() => Promise<void>) | undefined

beforeAll(async () => {
  devnet = await startDevnet()
  facilitator = await startTestFacilitator(devnet)
  const { evm, svm } = devnet
  served = await serveAgent(() => ({
    resourceServer: testResourceServer(devnet, facilitator.url),
    onError: (error) => errors.push(String(error)),
    skills: {
      summarize: {
        description: 'Summarizes a text',
        accepts: {
          scheme: 'exact',
          network: evm.network,
          price: '$0.01',
          payTo: evm.accounts.merchant.address,
        },
        async work(request) {
          worked.push('summarize')
          const text = request.parts.map((part) => (part.kind === 'text' ? part.text : '')).join(' ')
          return `Summary: ${text.split(' ').slice(0, 3).join(' ')}`
        },
      },
      translate: {
        description: 'Translates a text to French',
        accepts: {
          scheme: 'exact',
          network: svm.network,
          price: '$0.02',
          payTo: svm.accounts.merchant.address,
        },
        async work() {
          worked.push('translate')
          return [{ kind: 'data', data: { fr: 'Bonjour' } }]
        },
      },
      report: {
        description: 'A report whose payer may move funds away while it is written',
        accepts: {
          scheme: 'exact',
          network: evm.network,
          price: '$0.01',
          payTo: evm.accounts.merchant.address,
        },
        async work() {
          worked.push('report')
          await duringWork?.()
          return 'the report'
        },
      },
      broken: {
        description: 'A skill that always fails',
        accepts: {
          scheme: 'exact',
          network: evm.network,
          price: '$0.01',
          payTo: evm.accounts.merchant.address,
        },
        async work() {
          worked.push('broken')
          throw new Error('secret internal detail')
        },
      },
    },
  }))
})

afterAll(async () => {
  await served?.close()
  await facilitator?.close()
  await devnet?.stop()
})

const merchantUsdc = () => tokenBalance(devnet, devnet.evm.accounts.merchant.address)
const statusOf = (task: Task | undefined) => ({
  state: task?.status.state,
  status: task?.status.message?.metadata?.[X402_METADATA.status],
  error: task?.status.message?.metadata?.[X402_METADATA.error],
})
const requiredOf = (task: Task) => task.status.message?.metadata?.[X402_METADATA.required] as PaymentRequired

/** Opens a task for `skill` over raw JSON-RPC and returns the input-required task. */
async function openTask(skill: string): Promise<Task> {
  const { json } = await rawRpc(
    served.url,
    {
      jsonrpc: '2.0',
      id: 1,
      method: 'message/send',
      params: {
        message: {
          kind: 'message',
          messageId: crypto.randomUUID(),
          role: 'user',
          parts: [{ kind: 'text', text: 'please' }],
          metadata: { skill },
        },
      },
    },
    activate,
  )
  return json.result as Task
}

/** Sends `payment` for `taskId` over raw JSON-RPC. */
async function submit(taskId: string, payment: unknown) {
  return rawRpc(
    served.url,
    {
      jsonrpc: '2.0',
      id: 2,
      method: 'message/send',
      params: {
        message: {
          kind: 'message',
          messageId: crypto.randomUUID(),
          role: 'user',
          taskId,
          parts: [{ kind: 'text', text: 'Here is the payment authorization.' }],
          metadata: { [X402_METADATA.status]: 'payment-submitted', [X402_METADATA.payload]: payment },
        },
      },
    },
    activate,
  )
}

describe('a client agent hiring a serving agent over A2A with x402', () => {
  it('serves the agent card with the x402 extension declared required', async () => {
    const response = await fetch(`${served.origin}/.well-known/agent-card.json`)
    const card = await response.json()
    expect(card).toMatchObject({
      protocolVersion: '0.3',
      url: served.url,
      preferredTransport: 'JSONRPC',
      capabilities: { extensions: [{ uri: X402_EXTENSION_URI, required: true }] },
    })
    expect(card.skills.map((skill: { id: string }) => skill.id)).toEqual([
      'summarize',
      'translate',
      'report',
      'broken',
    ])
  })

  it('quotes the skill in an input-required task, then pays on EVM and completes it with a receipt', async () => {
    const before = await merchantUsdc()
    const payerBefore = await tokenBalance(devnet, devnet.evm.accounts.payer.address)
    const agent = createPayingAgentClient({
      url: served.origin,
      paymentClient: await payingClient(devnet, { evm: devnet.evm.accounts.payer.privateKey }),
    })

    const { task, receipts, payment } = await agent.send('The quick brown fox jumps', { skill: 'summarize' })

    expect(statusOf(task)).toEqual({ state: 'completed', status: 'payment-completed', error: undefined })
    expect(task?.artifacts?.[0]?.parts).toEqual([{ kind: 'text', text: 'Summary: The quick brown' }])
    expect(receipts).toHaveLength(1)
    expect(receipts[0]).toMatchObject({
      success: true,
      network: devnet.evm.network,
      payer: devnet.evm.accounts.payer.address,
    })
    expect(receipts[0]?.transaction).toMatch(/^0x[0-9a-f]{64}$/)
    expect(payment?.accepted.amount).toBe('10000')
    expect(payment?.resource?.url).toBe(`${served.url}#skill=summarize&task=${task?.id}`)
    expect(await merchantUsdc()).toBe(before + 10_000n)
    expect(await tokenBalance(devnet, devnet.evm.accounts.payer.address)).toBe(payerBefore - 10_000n)

    // The history keeps the conversation: request, payment-required, payment, submitted, verified.
    const stored = await agent.getTask(task?.id as string)
    expect(
      stored.history?.map((m) => `${m.role}:${m.metadata?.[X402_METADATA.status] ?? 'request'}`),
    ).toEqual([
      'user:request',
      'agent:payment-required',
      'user:payment-submitted',
      'agent:payment-submitted',
      'agent:payment-verified',
    ])
    // …but not the signed authorization: whoever reads the task sees what was accepted, nothing to spend.
    const kept = stored.history?.[2]?.metadata?.[X402_METADATA.payload] as Record<string, unknown>
    expect(kept).toMatchObject({ x402Version: 2, accepted: { amount: '10000' } })
    expect(kept).not.toHaveProperty('payload')
    const signature = String((payment?.payload as { signature?: string } | undefined)?.signature)
    expect(signature).toMatch(/^0x[0-9a-f]+$/)
    expect(JSON.stringify(stored)).not.toContain(signature.slice(2))
  })

  it('pays on Solana and completes the task with a data artifact', async () => {
    const { svm } = devnet
    const before = await svmTokenBalance(devnet, svm.accounts.merchant.address)
    const agent = createPayingAgentClient({
      url: served.origin,
      paymentClient: await payingClient(devnet, { svm: svm.accounts.payer }),
    })

    const { task, receipts } = await agent.send('Hello', { skill: 'translate' })

    expect(statusOf(task)).toEqual({ state: 'completed', status: 'payment-completed', error: undefined })
    expect(task?.artifacts?.[0]?.parts).toEqual([{ kind: 'data', data: { fr: 'Bonjour' } }])
    expect(receipts[0]).toMatchObject({
      success: true,
      network: svm.network,
      payer: svm.accounts.payer.address,
    })
    expect(await svmTokenBalance(devnet, svm.accounts.merchant.address)).toBe(before + 20_000n)
  })

  it('answers the input-required task with the payment metadata of the spec', async () => {
    const task = await openTask('summarize')
    expect(task.status.state).toBe('input-required')
    expect(task.status.message?.metadata?.[X402_METADATA.status]).toBe('payment-required')
    expect(requiredOf(task)).toMatchObject({
      x402Version: 2,
      resource: { url: `${served.url}#skill=summarize&task=${task.id}`, description: 'Summarizes a text' },
      accepts: [
        {
          scheme: 'exact',
          network: devnet.evm.network,
          amount: '10000',
          asset: devnet.evm.token.address,
          payTo: devnet.evm.accounts.merchant.address,
        },
      ],
    })
  })

  it('refuses a forged signature as INVALID_SIGNATURE: payment-failed, no artifact, nothing moved', async () => {
    const task = await openTask('summarize')
    const client = await payingClient(devnet, { evm: devnet.evm.accounts.payer.privateKey })
    const payment = await client.createPaymentPayload(requiredOf(task))
    const signature = (payment.payload as { signature: string }).signature
    const forged = { ...payment, payload: { ...payment.payload, signature: `${signature.slice(0, -4)}0000` } }
    const before = await merchantUsdc()
    const workedBefore = worked.length

    const { json } = await submit(task.id, forged)
    const failed = json.result as Task

    expect(statusOf(failed)).toEqual({
      state: 'failed',
      status: 'payment-failed',
      error: 'INVALID_SIGNATURE',
    })
    const receipts = failed.status.message?.metadata?.[X402_METADATA.receipts] as SettleResponse[]
    expect(receipts).toEqual([
      expect.objectContaining({
        success: false,
        transaction: '',
        errorReason: 'invalid_exact_evm_payload_signature',
      }),
    ])
    expect(failed.artifacts).toBeUndefined()
    expect(worked.length).toBe(workedBefore)
    expect(await merchantUsdc()).toBe(before)
  })

  it('refuses a payment signed for less than the quote as INVALID_AMOUNT before asking the facilitator', async () => {
    const task = await openTask('summarize')
    const client = await payingClient(devnet, { evm: devnet.evm.accounts.payer.privateKey })
    const quoted = requiredOf(task)
    const cheaper = { ...quoted, accepts: quoted.accepts.map((offer) => ({ ...offer, amount: '1' })) }
    const payment = await client.createPaymentPayload(cheaper)
    const before = await merchantUsdc()

    const failed = (await submit(task.id, payment)).json.result as Task

    expect(statusOf(failed)).toEqual({ state: 'failed', status: 'payment-failed', error: 'INVALID_AMOUNT' })
    expect(failed.status.message?.parts[0]).toMatchObject({
      text: expect.stringContaining("the payment's amount 1 does not match the required 10000"),
    })
    expect(await merchantUsdc()).toBe(before)
  })

  it('refuses a payer without funds as INSUFFICIENT_FUNDS and does no work', async () => {
    const task = await openTask('summarize')
    const broke = await payingClient(devnet, { evm: generatePrivateKey() })
    const payment = await broke.createPaymentPayload(requiredOf(task))
    const workedBefore = worked.length

    const failed = (await submit(task.id, payment)).json.result as Task

    expect(statusOf(failed)).toEqual({
      state: 'failed',
      status: 'payment-failed',
      error: 'INSUFFICIENT_FUNDS',
    })
    expect(failed.artifacts).toBeUndefined()
    expect(worked.length).toBe(workedBefore)
  })

  it('withholds the work when settlement fails after it (the payer moved its funds away meanwhile)', async () => {
    const { evm } = devnet
    const payer = privateKeyToAccount(evm.accounts.others[3]?.privateKey as `0x${string}`)
    const wallet = createWalletClient({
      account: payer,
      chain: devnetChain(devnet),
      transport: http(evm.rpcUrl),
    })
    const agent = createPayingAgentClient({
      url: served.origin,
      paymentClient: await payingClient(devnet, { evm: payer }),
    })
    duringWork = async () => {
      const balance = await tokenBalance(devnet, payer.address)
      await wallet.writeContract({
        address: evm.token.address,
        abi: usdcLikeTokenAbi,
        functionName: 'transfer',
        args: [evm.accounts.others[4]?.address as `0x${string}`, balance],
      })
    }
    const before = await merchantUsdc()
    try {
      const { task, receipts } = await agent.send('write it', { skill: 'report' })
      expect(worked.at(-1)).toBe('report') // the work ran…
      expect(statusOf(task)).toMatchObject({ state: 'failed', status: 'payment-failed' })
      expect(task?.artifacts).toBeUndefined() // …and was not released
      expect(JSON.stringify(task)).not.toContain('the report')
      expect(statusOf(task).error).toBe('SETTLEMENT_FAILED')
      // The facilitator sent the transfer and it reverted: the receipt names it, and nothing was charged.
      expect(receipts[0]).toMatchObject({
        success: false,
        status: 'failed',
        errorReason: 'invalid_exact_evm_transaction_failed',
        transaction: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      })
      expect(await merchantUsdc()).toBe(before)
    } finally {
      duringWork = undefined
    }
  })

  it('does not settle twice when a payment is replayed on the completed task', async () => {
    const task = await openTask('summarize')
    const client = await payingClient(devnet, { evm: devnet.evm.accounts.payer.privateKey })
    const payment = await client.createPaymentPayload(requiredOf(task))
    const first = (await submit(task.id, payment)).json.result as Task
    expect(first.status.state).toBe('completed')
    const after = await merchantUsdc()

    const { json } = await submit(task.id, payment)

    expect(json.error).toEqual({
      code: -32004,
      message: `Task ${task.id} is in a terminal state (completed) and cannot be modified`,
    })
    expect(await merchantUsdc()).toBe(after)
    expect(
      (await served.agent.fetch(getTaskRequest(task.id)).then((r) => r.json())).result.status.state,
    ).toBe('completed')
  })

  it('lets one of two payments sent at once for a task through, and charges once', async () => {
    const task = await openTask('summarize')
    const client = await payingClient(devnet, { evm: devnet.evm.accounts.payer.privateKey })
    const payment = await client.createPaymentPayload(requiredOf(task))
    const before = await merchantUsdc()

    const answers = await Promise.all([submit(task.id, payment), submit(task.id, payment)])

    const outcomes = answers.map(({ json }) =>
      json.result ? (json.result as Task).status.state : (json.error as { code: number }).code,
    )
    expect(outcomes.sort()).toEqual([-32004, 'completed'].sort())
    expect(await merchantUsdc()).toBe(before + 10_000n)
  })

  it('refuses a payment made for another task, which stays payable for its own task', async () => {
    const mine = await openTask('summarize')
    const other = await openTask('summarize')
    const client = await payingClient(devnet, { evm: devnet.evm.accounts.payer.privateKey })
    const payment = await client.createPaymentPayload(requiredOf(mine))
    const before = await merchantUsdc()

    const refused = (await submit(other.id, payment)).json.result as Task
    expect(statusOf(refused)).toEqual({ state: 'failed', status: 'payment-failed', error: 'INVALID_PAYMENT' })
    expect(await merchantUsdc()).toBe(before)

    const paid = (await submit(mine.id, payment)).json.result as Task
    expect(statusOf(paid)).toEqual({ state: 'completed', status: 'payment-completed', error: undefined })
    expect(await merchantUsdc()).toBe(before + 10_000n)
  })

  it('sends payment-rejected when a policy refuses, so the task is canceled and nothing moves', async () => {
    const sent: { params?: { message?: { taskId?: string; metadata?: Record<string, unknown> } } }[] = []
    const agent = createPayingAgentClient({
      url: served.origin,
      fetch: async (input, init) => {
        if (typeof init?.body === 'string') sent.push(JSON.parse(init.body))
        return fetch(input, init)
      },
      paymentClient: await payingClient(devnet, { evm: devnet.evm.accounts.payer.privateKey }, [
        maxAmount('$0.001'),
      ]),
    })
    const before = await merchantUsdc()
    const workedBefore = worked.length

    const error = await agent.send('too dear', { skill: 'summarize' }).then(
      () => undefined,
      (reason: unknown) => reason,
    )

    expect(isX402Error(error, 'payment_refused_by_policy')).toBe(true)
    expect((error as Error).message).toMatch(/exceed the cap of \$0\.001/)
    expect(sent.map((body) => body.params?.message?.metadata?.[X402_METADATA.status])).toEqual([
      undefined,
      'payment-rejected',
    ])
    const task = await agent.getTask(sent[1]?.params?.message?.taskId as string)
    expect(statusOf(task)).toEqual({ state: 'canceled', status: 'payment-rejected', error: undefined })
    expect(await merchantUsdc()).toBe(before)
    expect(worked.length).toBe(workedBefore)
  })

  it('leaves the budget untouched when the agent settles nothing (the skill failed)', async () => {
    const agent = createPayingAgentClient({
      url: served.origin,
      paymentClient: await payingClient(devnet, { evm: devnet.evm.accounts.payer.privateKey }, [
        budget({ max: '$0.01' }),
      ]),
    })
    const before = await merchantUsdc()

    const failed = await agent.send('anything', { skill: 'broken' })
    expect(statusOf(failed.task)).toEqual({
      state: 'failed',
      status: 'payment-failed',
      error: 'SERVICE_FAILED',
    })
    expect(failed.receipts).toEqual([])
    expect(JSON.stringify(failed.task)).not.toContain('secret internal detail')
    expect(errors.at(-1)).toBe('Error: secret internal detail') // given to onError only
    expect(await merchantUsdc()).toBe(before)

    // The $0.01 was given back to the budget, so the next paid task fits.
    const paid = await agent.send('one two three four', { skill: 'summarize' })
    expect(paid.task?.status.state).toBe('completed')
    expect(await merchantUsdc()).toBe(before + 10_000n)
  })

  it('rejects a request that does not activate the extension with -32008', async () => {
    const { response, json } = await rawRpc(served.url, {
      jsonrpc: '2.0',
      id: 'a',
      method: 'message/send',
      params: { message: { kind: 'message', messageId: 'm1', role: 'user', parts: [] } },
    })
    expect(json).toEqual({
      jsonrpc: '2.0',
      id: 'a',
      error: {
        code: -32008,
        message: `This agent requires the x402 payments extension: activate it with the header X-A2A-Extensions: ${X402_EXTENSION_URI}`,
        data: { uri: X402_EXTENSION_URI },
      },
    })
    expect(response.headers.get(EXTENSIONS_HEADER)).toBeNull()
  })

  it.each(X402_EXTENSION_LEGACY_URIS)('accepts the v0.1 URI %s on activation and echoes it', async (uri) => {
    const { response, json } = await rawRpc(
      served.url,
      { jsonrpc: '2.0', id: 3, method: 'tasks/get', params: { id: 'nope' } },
      { [EXTENSIONS_HEADER]: `https://example.com/other-extension, ${uri}` },
    )
    expect(response.headers.get(EXTENSIONS_HEADER)).toBe(uri)
    expect(json.error).toEqual({ code: -32001, message: 'Task not found: nope' })
  })

  it.each([
    ['malformed JSON', '{"jsonrpc": "2.0", "id": 1, "method": ', null, -32700],
    ['a batch', '[]', null, -32600],
    ['no jsonrpc version', JSON.stringify({ id: 4, method: 'message/send' }), 4, -32600],
    ['an unknown method', JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tasks/explode' }), 5, -32601],
    [
      'a message without parts',
      JSON.stringify({
        jsonrpc: '2.0',
        id: 6,
        method: 'message/send',
        params: { message: { messageId: 'x', role: 'user' } },
      }),
      6,
      -32602,
    ],
    [
      'an unknown skill',
      JSON.stringify({
        jsonrpc: '2.0',
        id: 7,
        method: 'message/send',
        params: { message: { messageId: 'x', role: 'user', parts: [], metadata: { skill: 'dance' } } },
      }),
      7,
      -32602,
    ],
  ])('answers %s with a JSON-RPC error and no stack trace', async (_name, body, id, code) => {
    const { response, json } = await rawRpc(served.url, body, activate)
    expect(response.status).toBe(200)
    expect(json.id).toBe(id)
    expect((json.error as { code: number }).code).toBe(code)
    expect(JSON.stringify(json)).not.toMatch(/\bat .+\.(ts|js):\d+/)
  })

  it('cancels a task awaiting payment on tasks/cancel, and refuses to cancel a finished one', async () => {
    const task = await openTask('summarize')
    const cancel = (id: string) =>
      rawRpc(served.url, { jsonrpc: '2.0', id: 8, method: 'tasks/cancel', params: { id } }, activate)
    expect(((await cancel(task.id)).json.result as Task).status.state).toBe('canceled')
    expect((await cancel(task.id)).json.error).toEqual({
      code: -32002,
      message: `Task ${task.id} cannot be canceled: it is canceled`,
    })
  })
})

describe('a facilitator that is down', () => {
  it('fails closed: the task fails with PAYMENT_UNAVAILABLE, no work is done, no content is sent', async () => {
    // Its own facilitator, stopped after the quote, so the payment cannot be verified.
    const doomed = await startTestFacilitator(devnet)
    let ran = 0
    const agent = await serveAgent(() => ({
      resourceServer: testResourceServer(devnet, doomed.url),
      skills: {
        secret: {
          description: 'A secret',
          accepts: {
            scheme: 'exact',
            network: devnet.evm.network,
            price: '$0.01',
            payTo: devnet.evm.accounts.merchant.address,
          },
          async work() {
            ran++
            return 'the secret'
          },
        },
      },
    }))
    // A first quote while the facilitator is up (the resource server then knows its /supported kinds).
    const warm = await rawRpc(
      agent.url,
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'message/send',
        params: { message: { kind: 'message', messageId: 'w', role: 'user', parts: [] } },
      },
      activate,
    )
    expect((warm.json.result as Task).status.state).toBe('input-required')
    await doomed.close()
    const before = await merchantUsdc()
    try {
      const client = createPayingAgentClient({
        url: agent.origin,
        paymentClient: await payingClient(devnet, { evm: devnet.evm.accounts.payer.privateKey }),
      })
      const { task, receipts } = await client.send('tell me', { skill: 'secret' })
      expect(statusOf(task)).toEqual({
        state: 'failed',
        status: 'payment-failed',
        error: 'PAYMENT_UNAVAILABLE',
      })
      expect(receipts[0]).toMatchObject({
        success: false,
        transaction: '',
        errorReason: 'facilitator_unavailable',
      })
      expect(ran).toBe(0)
      expect(JSON.stringify(task)).not.toContain('the secret')
      expect(await merchantUsdc()).toBe(before)
    } finally {
      await agent.close()
    }
  })
})

function getTaskRequest(id: string): Request {
  return new Request(served.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...activate },
    body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tasks/get', params: { id } }),
  })
}
