import {
  type PaymentClient,
  type PaymentPayload,
  PaymentRequiredSchema,
  type SettleResponse,
  SettleResponseSchema,
  X402Error,
} from '@open402/core'
import type { AgentCard, Message, Part, Task } from './a2a-types.js'
import { AGENT_CARD_PATH } from './agent-card.js'
import {
  EXTENSIONS_HEADER,
  X402_EXTENSION_LEGACY_URIS,
  X402_EXTENSION_URI,
  X402_METADATA,
  X402_PAYMENT_STATUS,
} from './constants.js'
import { JsonRpcError, type JsonRpcErrorObject } from './json-rpc.js'

/** Options of {@link createPayingAgentClient}. */
export interface PayingAgentClientOptions {
  /** The serving agent's base URL: its card is read from `<origin>/.well-known/agent-card.json`. */
  url: string | URL
  /** Signs payments within its policies, budgets and `confirm` (`createPaymentClient` of `@open402/core`). */
  paymentClient: PaymentClient
  fetch?: typeof fetch
}

/** Options of {@link PayingAgentClient.send}. */
export interface SendOptions {
  /** The skill asked for, sent as `message.metadata.skill`. */
  skill?: string
  metadata?: Record<string, unknown>
  contextId?: string
}

/** What the serving agent answered, after paying when it asked for payment. */
export interface AgentAnswer {
  /** The final task (completed, failed, …); undefined if the agent answered with a bare message. */
  task?: Task
  message?: Message
  /** `x402.payment.receipts` of the final status message. */
  receipts: SettleResponse[]
  /** The payment sent, if one was. */
  payment?: PaymentPayload
}

/** A client agent that pays serving agents through the x402 extension. */
export interface PayingAgentClient {
  /** The serving agent's card (fetched once). */
  card(): Promise<AgentCard>
  /**
   * Sends a message; when the answer is an input-required task asking for payment, pays it with the payment
   * client (whose refusal sends `payment-rejected` and rethrows its `X402Error`) and returns the final task.
   */
  send(content: string | Part[], options?: SendOptions): Promise<AgentAnswer>
  /** `tasks/get`. */
  getTask(id: string): Promise<Task>
}

const knownUris = new Set<string>([X402_EXTENSION_URI, ...X402_EXTENSION_LEGACY_URIS])

/**
 * Creates a client agent for the x402 extension's standalone flow (a2a-x402 spec/v0.2 §5): it activates the
 * extension, pays input-required tasks with a PaymentPayload in the message metadata, and returns the
 * settled task with its receipts. A payment nothing was settled for is released from the budgets.
 * @example const agent = createPayingAgentClient({ url: 'https://agent.example', paymentClient })
 */
export function createPayingAgentClient(options: PayingAgentClientOptions): PayingAgentClient {
  const fetchImpl = options.fetch ?? globalThis.fetch
  let cardPromise: Promise<AgentCard> | undefined
  let rpcId = 0

  async function loadCard(): Promise<AgentCard> {
    const response = await fetchImpl(new URL(AGENT_CARD_PATH, options.url))
    if (!response.ok) throw new Error(`the agent card answered HTTP ${response.status}`)
    const card = (await response.json()) as AgentCard
    if (typeof card?.url !== 'string') throw new Error('the agent card has no url')
    return card
  }

  const card = () => {
    cardPromise ??= loadCard().catch((error: unknown) => {
      cardPromise = undefined
      throw error
    })
    return cardPromise
  }

  async function rpc<T>(method: string, params: unknown): Promise<T> {
    const agent = await card()
    // Activate the URI the agent declares (v0.2, or v0.1 for an older agent).
    const declared = agent.capabilities?.extensions?.find((extension) => knownUris.has(extension.uri))
    const response = await fetchImpl(agent.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [EXTENSIONS_HEADER]: declared?.uri ?? X402_EXTENSION_URI,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: ++rpcId, method, params }),
    })
    const body = (await response.json().catch(() => undefined)) as
      | { result?: T; error?: JsonRpcErrorObject }
      | undefined
    if (body?.error) throw new JsonRpcError(body.error.code, body.error.message, body.error.data)
    if (!response.ok || body?.result === undefined) {
      throw new Error(`${method}: the agent answered HTTP ${response.status} without a JSON-RPC result`)
    }
    return body.result
  }

  const sendMessage = (message: Omit<Message, 'kind' | 'messageId'>) =>
    rpc<Task | Message>('message/send', {
      message: { kind: 'message', messageId: crypto.randomUUID(), ...message },
    })

  async function reject(task: Task): Promise<void> {
    await sendMessage({
      role: 'user',
      taskId: task.id,
      contextId: task.contextId,
      parts: [{ kind: 'text', text: 'The payment was declined.' }],
      metadata: { [X402_METADATA.status]: X402_PAYMENT_STATUS.rejected },
    }).catch(() => undefined)
  }

  async function pay(task: Task): Promise<AgentAnswer> {
    const agent = await card()
    const parsed = PaymentRequiredSchema.safeParse(task.status.message?.metadata?.[X402_METADATA.required])
    if (!parsed.success) {
      await reject(task)
      throw new X402Error(
        'payment_failed',
        `task ${task.id}: ${X402_METADATA.required} is not a PaymentRequired`,
      )
    }
    let payment: PaymentPayload
    try {
      payment = await options.paymentClient.createPaymentPayload(parsed.data, { url: agent.url })
    } catch (error) {
      await reject(task) // a policy or confirm refusal: the agent is told, nothing was signed
      throw error
    }
    let answer: Task | Message
    try {
      answer = await sendMessage({
        role: 'user',
        taskId: task.id,
        contextId: task.contextId,
        parts: [{ kind: 'text', text: 'Here is the payment authorization.' }],
        metadata: { [X402_METADATA.status]: X402_PAYMENT_STATUS.submitted, [X402_METADATA.payload]: payment },
      })
    } catch (error) {
      // A JSON-RPC error means the agent refused the message before using the payment.
      if (error instanceof JsonRpcError) await options.paymentClient.release(payment)
      throw error
    }
    const receipts = receiptsOf(answer)
    // Charged unless every receipt failed without a transaction or with one that failed on chain.
    const charged = receipts.some(
      (receipt) => receipt.success || (receipt.transaction !== '' && receipt.status !== 'failed'),
    )
    if (!charged) await options.paymentClient.release(payment)
    return answer.kind === 'task'
      ? { task: answer, receipts, payment }
      : { message: answer, receipts, payment }
  }

  return {
    card,
    async send(content, sendOptions = {}) {
      const metadata = { ...sendOptions.metadata }
      if (sendOptions.skill !== undefined) metadata.skill = sendOptions.skill
      const answer = await sendMessage({
        role: 'user',
        parts: typeof content === 'string' ? [{ kind: 'text', text: content }] : content,
        ...(sendOptions.contextId === undefined ? {} : { contextId: sendOptions.contextId }),
        ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
      })
      if (answer.kind !== 'task') return { message: answer, receipts: [] }
      const metadataOf = answer.status.message?.metadata
      const asksPayment =
        answer.status.state === 'input-required' &&
        metadataOf?.[X402_METADATA.status] === X402_PAYMENT_STATUS.required
      return asksPayment ? pay(answer) : { task: answer, receipts: receiptsOf(answer) }
    },
    getTask: (id) => rpc<Task>('tasks/get', { id }),
  }
}

/** The well-formed receipts of a task's status message (malformed entries are skipped). */
function receiptsOf(answer: Task | Message): SettleResponse[] {
  const metadata = answer.kind === 'task' ? answer.status.message?.metadata : answer.metadata
  const receipts = metadata?.[X402_METADATA.receipts]
  if (!Array.isArray(receipts)) return []
  return receipts.flatMap((receipt) => {
    const parsed = SettleResponseSchema.safeParse(receipt)
    return parsed.success ? [parsed.data] : []
  })
}
