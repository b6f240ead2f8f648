import {
  createPaymentGate,
  type GateOption,
  type PaymentGate,
  type ResourceServer,
  type VerifiedPayment,
} from '@open402/core'
import type { AgentCard, Message, Part, Task } from './a2a-types.js'
import { AGENT_CARD_PATH, type AgentCardInput, buildAgentCard } from './agent-card.js'
import { EXTENSIONS_HEADER, JSON_RPC_ERRORS, X402_EXTENSION_URI } from './constants.js'
import { activatedX402Uri } from './extension-activation.js'
import {
  JsonRpcError,
  type JsonRpcRequest,
  jsonRpcError,
  jsonRpcResult,
  parseJsonRpcRequest,
  requestIdOf,
} from './json-rpc.js'
import { readMessage, readTaskQuery } from './read-params.js'
import { createTaskPayments, type SkillCall } from './task-payments.js'
import { createMemoryTaskStore, type TaskStore } from './task-store.js'

export type { SkillCall } from './task-payments.js'

/** What a skill's `work` gets besides the request: the task and the verified (not yet settled) payment. */
export interface SkillContext extends SkillCall {
  payment: VerifiedPayment
}

/** A skill sold per task. */
export interface PaidSkill {
  /** How the skill is paid; `price` and `payTo` may be functions of the {@link SkillCall} (fixed when quoted). */
  accepts: GateOption<SkillCall> | GateOption<SkillCall>[]
  description: string
  name?: string
  tags?: string[]
  examples?: string[]
  /** The media type of the answer, in the PaymentRequired's `resource`. */
  mimeType?: string
  /**
   * Does the work once the payment verified. Its answer (a string is one text part) becomes the task's
   * artifact, released only once the payment settled; if it throws, nothing is settled.
   */
  work(request: Message, context: SkillContext): Promise<string | Part[]>
}

/** Options of {@link createPaidAgent}. */
export interface PaidAgentOptions {
  /** The agent card's own fields; `url` is the JSON-RPC endpoint. */
  card: AgentCardInput
  resourceServer: ResourceServer
  skills: Record<string, PaidSkill>
  /**
   * The skill a new message asks for, when its `metadata.skill` does not name one (default: the only skill,
   * if there is one).
   */
  route?: (message: Message) => string | undefined
  /** Where tasks are kept (default: in memory). */
  taskStore?: TaskStore
  /** Called with errors thrown by skills and unexpected errors (neither is sent to the client). */
  onError?: (error: unknown) => void
}

/** A serving agent: its card and a Web-standard handler for the card and the JSON-RPC endpoint. */
export interface PaidAgent {
  card: AgentCard
  fetch(request: Request): Promise<Response>
}

const MAX_BODY_CHARS = 1024 * 1024

/**
 * Creates an A2A agent that sells skills per task with the x402 extension's standalone flow (a2a-x402
 * spec/v0.2 §5): a request gets an `input-required` task quoting a PaymentRequired; the payment sent for
 * that task is verified, the skill runs, the payment is settled, and only then is the answer released.
 * @example const agent = createPaidAgent({ card: { name, description, url }, resourceServer, skills: { summarize } })
 */
export function createPaidAgent(options: PaidAgentOptions): PaidAgent {
  const skillIds = Object.keys(options.skills)
  if (skillIds.length === 0) throw new Error('createPaidAgent: no skills given')
  const endpoint = new URL(options.card.url)
  const card = buildAgentCard(
    options.card,
    skillIds.map((id) => {
      const skill = options.skills[id] as PaidSkill
      return {
        id,
        name: skill.name ?? id,
        description: skill.description,
        tags: skill.tags ?? ['x402'],
        ...(skill.examples ? { examples: skill.examples } : {}),
      }
    }),
  )
  const gates = new Map<string, PaymentGate<SkillCall>>()
  for (const id of skillIds) {
    const skill = options.skills[id] as PaidSkill
    gates.set(
      id,
      createPaymentGate<SkillCall>(options.resourceServer, {
        // The task id is in the resource: a payment made for one task is refused for another.
        resource: (call) => `${endpoint.href}#skill=${encodeURIComponent(call.skill)}&task=${call.taskId}`,
        accepts: skill.accepts,
        description: skill.description,
        ...(skill.mimeType ? { mimeType: skill.mimeType } : {}),
      }),
    )
  }
  const store = options.taskStore ?? createMemoryTaskStore()
  const payments = createTaskPayments({
    store,
    gates,
    work: (skill, request, context) => (options.skills[skill] as PaidSkill).work(request, context),
    ...(options.onError ? { onError: options.onError } : {}),
  })

  function skillOf(message: Message): string {
    const named = message.metadata?.skill
    const skill =
      typeof named === 'string'
        ? named
        : (options.route?.(message) ?? (skillIds.length === 1 ? skillIds[0] : undefined))
    if (skill === undefined || !gates.has(skill)) {
      throw new JsonRpcError(
        JSON_RPC_ERRORS.invalidParams,
        `${skill === undefined ? 'no skill named' : `unknown skill ${JSON.stringify(skill)}`}: set message.metadata.skill to one of ${skillIds.join(', ')}`,
      )
    }
    return skill
  }

  async function dispatch(request: JsonRpcRequest): Promise<Task> {
    switch (request.method) {
      case 'message/send': {
        const message = readMessage(request.params)
        return message.taskId === undefined
          ? payments.start(skillOf(message), message)
          : payments.continue(message)
      }
      case 'tasks/get': {
        const { id, historyLength } = readTaskQuery(request.params)
        const task = await payments.get(id)
        if (historyLength === undefined || !task.history) return task
        return { ...task, history: historyLength === 0 ? [] : task.history.slice(-historyLength) }
      }
      case 'tasks/cancel':
        return payments.cancel(readTaskQuery(request.params).id)
      default:
        throw new JsonRpcError(
          JSON_RPC_ERRORS.methodNotFound,
          `Method not found: ${request.method} (this agent serves message/send, tasks/get and tasks/cancel)`,
        )
    }
  }

  async function handleRpc(httpRequest: Request): Promise<Response> {
    const text = await httpRequest.text()
    const activated = activatedX402Uri(httpRequest.headers)
    const headers: Record<string, string> = activated ? { [EXTENSIONS_HEADER]: activated } : {}
    let id = requestIdOf(text)
    try {
      if (text.length > MAX_BODY_CHARS) {
        throw new JsonRpcError(JSON_RPC_ERRORS.invalidRequest, 'Invalid Request: the body is too large')
      }
      const request = parseJsonRpcRequest(text)
      id = request.id
      if (!activated) {
        throw new JsonRpcError(
          JSON_RPC_ERRORS.extensionSupportRequired,
          `This agent requires the x402 payments extension: activate it with the header ${EXTENSIONS_HEADER}: ${X402_EXTENSION_URI}`,
          { uri: X402_EXTENSION_URI },
        )
      }
      return Response.json(jsonRpcResult(id, await dispatch(request)), { headers })
    } catch (error) {
      if (error instanceof JsonRpcError) {
        const body = { code: error.code, message: error.message }
        return Response.json(
          jsonRpcError(id, error.data === undefined ? body : { ...body, data: error.data }),
          { headers },
        )
      }
      options.onError?.(error)
      return Response.json(
        jsonRpcError(id, { code: JSON_RPC_ERRORS.internalError, message: 'Internal error' }),
        { headers },
      )
    }
  }

  return {
    card,
    async fetch(request) {
      const { pathname } = new URL(request.url)
      if (pathname === AGENT_CARD_PATH) {
        return request.method === 'GET' || request.method === 'HEAD'
          ? Response.json(card)
          : new Response(null, { status: 405, headers: { allow: 'GET, HEAD' } })
      }
      if (pathname === endpoint.pathname) {
        return request.method === 'POST'
          ? handleRpc(request)
          : new Response(null, { status: 405, headers: { allow: 'POST' } })
      }
      return new Response('Not Found', { status: 404 })
    },
  }
}
