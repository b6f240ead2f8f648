// The official A2A JavaScript SDK (@a2a-js/sdk 1.3, which speaks A2A 1.0 and, with legacyCompat, A2A 0.3)
// talking to our serving agent: it reads the card, sends a request, gets the input-required task with the
// x402 metadata, and pays by sending the payment metadata through its own sendMessage.
import { TaskState } from '@a2a-js/sdk'
import {
  ClientFactory,
  ClientFactoryOptions,
  DefaultAgentCardResolver,
  JsonRpcTransportFactory,
  ServiceParameters,
  withA2AExtensions,
} from '@a2a-js/sdk/client'
import type { PaymentRequired } from '@open402/core'
import { type Devnet, tokenBalance } from '@open402/devnet'
import type { FacilitatorServer } from '@open402/facilitator'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { X402_EXTENSION_URI, X402_METADATA } from '../src/index.js'
import {
  payingClient,
  type ServedAgent,
  serveAgent,
  startDevnet,
  startTestFacilitator,
  testResourceServer,
} from './support/agents.js'

let devnet: Devnet
let facilitator: FacilitatorServer
let served: ServedAgent

beforeAll(async () => {
  devnet = await startDevnet({ chains: ['evm', 'svm'] })
  facilitator = await startTestFacilitator(devnet)
  served = await serveAgent(() => ({
    resourceServer: testResourceServer(devnet, facilitator.url),
    skills: {
      summarize: {
        description: 'Summarizes a text',
        accepts: {
          scheme: 'exact',
          network: devnet.evm.network,
          price: '$0.01',
          payTo: devnet.evm.accounts.merchant.address,
        },
        work: async () => 'A short summary',
      },
    },
  }))
})

afterAll(async () => {
  await served?.close()
  await facilitator?.close()
  await devnet?.stop()
})

/** A v1.0 SDK message (the compat transport writes it as A2A 0.3 JSON). */
function sdkMessage(text: string, fields: { taskId?: string; contextId?: string; metadata?: object }) {
  return {
    messageId: crypto.randomUUID(),
    contextId: fields.contextId ?? '',
    taskId: fields.taskId ?? '',
    role: 1, // Role.ROLE_USER
    parts: [
      { content: { $case: 'text' as const, value: text }, metadata: undefined, filename: '', mediaType: '' },
    ],
    metadata: fields.metadata as Record<string, unknown> | undefined,
    extensions: [],
    referenceTaskIds: [],
  }
}

it('the official @a2a-js/sdk client reads the card, gets the payment terms and pays through sendMessage', async () => {
  const factory = new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      transports: [new JsonRpcTransportFactory({ legacyCompat: { enabled: true } })],
      cardResolver: new DefaultAgentCardResolver({ legacyCompat: { enabled: true } }),
    }),
  )
  const client = await factory.createFromUrl(served.origin)
  const activate = { serviceParameters: ServiceParameters.create(withA2AExtensions(X402_EXTENSION_URI)) }

  const card = await client.getAgentCard()
  expect(card.capabilities?.extensions.map((extension) => [extension.uri, extension.required])).toEqual([
    [X402_EXTENSION_URI, true],
  ])

  const quoted = await client.sendMessage(
    { tenant: '', message: sdkMessage('Summarize this', {}), configuration: undefined, metadata: undefined },
    activate,
  )
  if (!('status' in quoted)) throw new Error('expected a task')
  expect(quoted.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED)
  const metadata = quoted.status?.message?.metadata ?? {}
  expect(metadata[X402_METADATA.status]).toBe('payment-required')
  const required = metadata[X402_METADATA.required] as PaymentRequired
  expect(required.accepts[0]).toMatchObject({ amount: '10000', network: devnet.evm.network })

  const payment = await (
    await payingClient(devnet, { evm: devnet.evm.accounts.payer.privateKey })
  ).createPaymentPayload(required)
  const before = await tokenBalance(devnet, devnet.evm.accounts.merchant.address)
  const paid = await client.sendMessage(
    {
      tenant: '',
      message: sdkMessage('Here is the payment authorization.', {
        taskId: quoted.id,
        contextId: quoted.contextId,
        metadata: { [X402_METADATA.status]: 'payment-submitted', [X402_METADATA.payload]: payment },
      }),
      configuration: undefined,
      metadata: undefined,
    },
    activate,
  )
  if (!('status' in paid)) throw new Error('expected a task')
  expect(paid.status?.state).toBe(TaskState.TASK_STATE_COMPLETED)
  expect(paid.status?.message?.metadata?.[X402_METADATA.status]).toBe('payment-completed')
  expect(paid.status?.message?.metadata?.[X402_METADATA.receipts]).toEqual([
    expect.objectContaining({ success: true, network: devnet.evm.network }),
  ])
  expect(paid.artifacts[0]?.parts[0]?.content).toEqual({ $case: 'text', value: 'A short summary' })
  expect(await tokenBalance(devnet, devnet.evm.accounts.merchant.address)).toBe(before + 10_000n)
})
