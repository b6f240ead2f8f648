import {
  findMatchingOffer,
  type PaymentGate,
  type PaymentRequired,
  type SettleResponse,
  type VerifiedPayment,
} from '@open402/core'
import { type Message, type Part, type Task, TERMINAL_STATES } from './a2a-types.js'
import { JSON_RPC_ERRORS, type PaymentErrorCode, X402_METADATA, X402_PAYMENT_STATUS } from './constants.js'
import { JsonRpcError } from './json-rpc.js'
import { paymentErrorCode } from './payment-error-code.js'
import { agentMessage, partsOf, paymentMetadata, withStatus } from './task-messages.js'
import type { StoredTask, TaskStore } from './task-store.js'

/** What a skill is priced and run on: the request that opened the task. */
export interface SkillCall {
  skill: string
  taskId: string
  contextId: string
  /** The client's first message, the one asking for the skill. */
  message: Message
}

interface TaskPaymentsOptions {
  store: TaskStore
  gates: Map<string, PaymentGate<SkillCall>>
  work(
    skill: string,
    request: Message,
    context: SkillCall & { payment: VerifiedPayment },
  ): Promise<string | Part[]>
  onError?: (error: unknown) => void
}

interface Failure {
  code: PaymentErrorCode
  reason: string
  message: string
  receipt?: SettleResponse
}

const notFound = (id: string) => new JsonRpcError(JSON_RPC_ERRORS.taskNotFound, `Task not found: ${id}`)

/** The task state machine of the standalone flow (a2a-x402 spec/v0.2 §5, §7.1) over a {@link TaskStore}. */
export function createTaskPayments(options: TaskPaymentsOptions) {
  const { store, gates } = options

  const callOf = (record: StoredTask): SkillCall => ({
    skill: record.skill,
    taskId: record.task.id,
    contextId: record.task.contextId,
    message: record.task.history?.[0] as Message,
  })

  /** A new task for `skill`: input-required, quoting the skill's PaymentRequired. */
  async function start(skill: string, message: Message): Promise<Task> {
    if (message.metadata?.[X402_METADATA.status] !== undefined) {
      throw new JsonRpcError(
        JSON_RPC_ERRORS.invalidParams,
        'Invalid params: a payment message must name the task it is for (message.taskId)',
      )
    }
    const taskId = crypto.randomUUID()
    const contextId = message.contextId ?? crypto.randomUUID()
    const request: Message = { ...message, taskId, contextId }
    const quoted = await (gates.get(skill) as PaymentGate<SkillCall>).required({
      skill,
      taskId,
      contextId,
      message: request,
    })
    if (quoted.kind === 'unavailable') {
      // Fail closed: no terms could be built, so no task is opened.
      throw new JsonRpcError(
        JSON_RPC_ERRORS.internalError,
        `the payment terms of ${skill} could not be built (${quoted.reason}): ${quoted.message}`,
        { reason: quoted.reason },
      )
    }
    const { paymentRequired } = quoted
    const status = agentMessage(
      { id: taskId, contextId },
      `Payment is required: ${paymentRequired.resource.description ?? skill}`,
      paymentMetadata(X402_PAYMENT_STATUS.required, { required: paymentRequired }),
    )
    const task: Task = {
      kind: 'task',
      id: taskId,
      contextId,
      status: { state: 'input-required', message: status, timestamp: new Date().toISOString() },
      history: [request],
    }
    await store.create({ task, skill, paymentRequired })
    return task
  }

  /** A message on an existing task: a payment, or the client declining to pay. */
  async function continueTask(message: Message): Promise<Task> {
    const id = message.taskId as string
    const record = await store.get(id)
    if (!record) throw notFound(id)
    const { task } = record
    if (message.contextId !== undefined && message.contextId !== task.contextId) {
      throw new JsonRpcError(
        JSON_RPC_ERRORS.invalidParams,
        `Invalid params: message.contextId does not match task ${id}'s context`,
      )
    }
    const state = task.status.state
    if (TERMINAL_STATES.includes(state)) {
      throw new JsonRpcError(
        JSON_RPC_ERRORS.unsupportedOperation,
        `Task ${id} is in a terminal state (${state}) and cannot be modified`,
      )
    }
    if (state !== 'input-required') {
      throw new JsonRpcError(
        JSON_RPC_ERRORS.unsupportedOperation,
        `Task ${id} is ${state}: its payment is being processed`,
      )
    }
    const status = message.metadata?.[X402_METADATA.status]
    if (status === X402_PAYMENT_STATUS.rejected) {
      const canceled = withStatus(
        task,
        'canceled',
        agentMessage(
          task,
          'Payment was rejected; the task is canceled.',
          paymentMetadata(X402_PAYMENT_STATUS.rejected),
        ),
        { received: message },
      )
      return claim({ ...record, task: canceled }, 'input-required')
    }
    if (status !== X402_PAYMENT_STATUS.submitted) {
      throw new JsonRpcError(
        JSON_RPC_ERRORS.invalidParams,
        `Invalid params: task ${id} awaits payment: send ${X402_METADATA.status} "payment-submitted" with ${X402_METADATA.payload}, or "payment-rejected"`,
      )
    }
    const payload = message.metadata?.[X402_METADATA.payload]
    if (payload === undefined) {
      throw new JsonRpcError(
        JSON_RPC_ERRORS.invalidParams,
        `Invalid params: ${X402_METADATA.payload} is missing`,
      )
    }
    const submitted = withStatus(
      task,
      'working',
      agentMessage(task, 'Payment received; verifying it.', paymentMetadata(X402_PAYMENT_STATUS.submitted)),
      { received: message },
    )
    // Only one payment per task gets past this point: the state moves out of input-required atomically.
    await claim({ ...record, task: submitted }, 'input-required')
    return pay({ ...record, task: submitted }, payload)
  }

  async function claim(record: StoredTask, expected: Task['status']['state']): Promise<Task> {
    if (!(await store.update(record, expected))) {
      throw new JsonRpcError(
        JSON_RPC_ERRORS.unsupportedOperation,
        `Task ${record.task.id} changed meanwhile (another message is being handled for it)`,
      )
    }
    return record.task
  }

  async function pay(record: StoredTask, payload: unknown): Promise<Task> {
    const quoted = record.paymentRequired as PaymentRequired
    const mismatch = checkAgainstQuote(quoted, payload)
    if (mismatch) return fail(record, mismatch)
    const call = callOf(record)
    const gate = gates.get(record.skill) as PaymentGate<SkillCall>
    const verdict = await gate.verify(call, payload)
    if (verdict.kind !== 'verified') {
      return fail(record, {
        code: verdict.kind === 'unavailable' ? 'PAYMENT_UNAVAILABLE' : paymentErrorCode(verdict.reason),
        reason: verdict.reason,
        message: verdict.message,
        receipt: refusedReceipt(payload, verdict.reason, verdict.message),
      })
    }
    const verified = {
      ...record,
      task: withStatus(
        record.task,
        'working',
        agentMessage(
          record.task,
          'Payment verified; working on it.',
          paymentMetadata(X402_PAYMENT_STATUS.verified),
        ),
      ),
    }
    await claim(verified, 'working')

    let parts: Part[]
    try {
      parts = partsOf(await options.work(record.skill, call.message, { ...call, payment: verdict.payment }))
    } catch (error) {
      options.onError?.(error)
      // Settlement `after` the work: a failed skill charges nothing (and its error text is not sent).
      return fail(verified, {
        code: 'SERVICE_FAILED',
        reason: 'service_failed',
        message: `the skill ${record.skill} failed; the payment was not settled`,
      })
    }
    const settlement = await verdict.settle()
    if (settlement.kind !== 'settled') {
      const receipt =
        settlement.kind === 'refused' && settlement.settlement
          ? settlement.settlement
          : refusedReceipt(payload, settlement.reason, settlement.message)
      return fail(verified, {
        code: settlement.kind === 'unavailable' ? 'PAYMENT_UNAVAILABLE' : settlementCode(settlement.reason),
        reason: settlement.reason,
        message: settlement.message,
        receipt,
      })
    }
    const completed = withStatus(
      verified.task,
      'completed',
      agentMessage(
        verified.task,
        'Payment successful.',
        paymentMetadata(X402_PAYMENT_STATUS.completed, { receipts: [settlement.response] }),
      ),
      { artifacts: [{ artifactId: crypto.randomUUID(), name: record.skill, parts }] },
    )
    return claim({ ...verified, task: completed }, 'working')
  }

  async function fail(record: StoredTask, failure: Failure): Promise<Task> {
    const failed = withStatus(
      record.task,
      'failed',
      agentMessage(
        record.task,
        `Payment failed (${failure.code}, ${failure.reason}): ${failure.message}`,
        paymentMetadata(X402_PAYMENT_STATUS.failed, {
          error: failure.code,
          receipts: failure.receipt ? [failure.receipt] : [],
        }),
      ),
    )
    return claim({ ...record, task: failed }, 'working')
  }

  return {
    start,
    continue: continueTask,
    async get(id: string): Promise<Task> {
      const record = await store.get(id)
      if (!record) throw notFound(id)
      return record.task
    },
    /** Cancels a task still awaiting payment; a task being paid for or finished cannot be. */
    async cancel(id: string): Promise<Task> {
      const record = await store.get(id)
      if (!record) throw notFound(id)
      const state = record.task.status.state
      if (state !== 'input-required') {
        throw new JsonRpcError(
          JSON_RPC_ERRORS.taskNotCancelable,
          `Task ${id} cannot be canceled: it is ${state}`,
        )
      }
      const canceled = withStatus(
        record.task,
        'canceled',
        agentMessage(
          record.task,
          'The task was canceled; nothing was charged.',
          paymentMetadata(X402_PAYMENT_STATUS.rejected),
        ),
      )
      return claim({ ...record, task: canceled }, 'input-required')
    },
  }
}

/**
 * The payment is checked against the terms quoted for this task before anything else: the resource names
 * the task (so a payment made for another task is refused) and `accepted` must be one of its offers.
 */
function checkAgainstQuote(quoted: PaymentRequired, payload: unknown): Failure | undefined {
  const candidate = payload as { resource?: { url?: unknown }; accepted?: Record<string, unknown> } | null
  if (candidate === null || typeof candidate !== 'object') return undefined // the gate reports the shape
  const refuse = (code: PaymentErrorCode, message: string): Failure => ({
    code,
    reason: 'payment_requirements_mismatch',
    message,
    receipt: refusedReceipt(payload, 'payment_requirements_mismatch', message),
  })
  if (candidate.resource?.url !== quoted.resource.url) {
    return refuse(
      'INVALID_PAYMENT',
      `the payment is for ${JSON.stringify(candidate.resource?.url ?? null)}, not for this task (${quoted.resource.url})`,
    )
  }
  if (findMatchingOffer(candidate.accepted, quoted.accepts)) return undefined
  const sameButAmount = quoted.accepts.find((offer) =>
    findMatchingOffer({ ...candidate.accepted, amount: offer.amount }, [offer]),
  )
  return sameButAmount
    ? refuse(
        'INVALID_AMOUNT',
        `the payment's amount ${String(candidate.accepted?.amount)} does not match the required ${sameButAmount.amount}`,
      )
    : refuse('INVALID_PAYMENT', 'the accepted requirements do not match any offer quoted for this task')
}

/** A failed-settlement code: a reason the spec names keeps its code, anything else is SETTLEMENT_FAILED. */
function settlementCode(reason: string): PaymentErrorCode {
  const code = paymentErrorCode(reason)
  return code === 'INVALID_PAYMENT' ? 'SETTLEMENT_FAILED' : code
}

/** The receipt of a payment refused before anything was sent on chain (spec/v0.2 §9.2's example). */
function refusedReceipt(payload: unknown, reason: string, message: string): SettleResponse | undefined {
  const network = (payload as { accepted?: { network?: unknown } } | null)?.accepted?.network
  if (typeof network !== 'string' || !network.includes(':')) return undefined
  return {
    success: false,
    errorReason: reason,
    errorMessage: message,
    transaction: '',
    network: network as SettleResponse['network'],
  }
}
