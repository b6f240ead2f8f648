// The A2A v0.3 JSON shapes this package reads and writes (A2A specification §6), the protocol version the
// x402 extension is written against. Only the fields used here are typed; others pass through.

export type TaskState =
  | 'submitted'
  | 'working'
  | 'input-required'
  | 'completed'
  | 'canceled'
  | 'failed'
  | 'rejected'
  | 'auth-required'
  | 'unknown'

export interface TextPart {
  kind: 'text'
  text: string
  metadata?: Record<string, unknown>
}

export interface DataPart {
  kind: 'data'
  data: Record<string, unknown>
  metadata?: Record<string, unknown>
}

export interface FilePart {
  kind: 'file'
  file: { uri?: string; bytes?: string; name?: string; mimeType?: string }
  metadata?: Record<string, unknown>
}

export type Part = TextPart | DataPart | FilePart

export interface Message {
  kind: 'message'
  messageId: string
  role: 'user' | 'agent'
  parts: Part[]
  taskId?: string
  contextId?: string
  metadata?: Record<string, unknown>
  extensions?: string[]
}

export interface Artifact {
  artifactId: string
  name?: string
  description?: string
  parts: Part[]
  metadata?: Record<string, unknown>
}

export interface TaskStatus {
  state: TaskState
  message?: Message
  timestamp?: string
}

export interface Task {
  kind: 'task'
  id: string
  contextId: string
  status: TaskStatus
  artifacts?: Artifact[]
  history?: Message[]
  metadata?: Record<string, unknown>
}

export interface AgentExtension {
  uri: string
  description?: string
  required?: boolean
  params?: Record<string, unknown>
}

export interface AgentSkill {
  id: string
  name: string
  description: string
  tags: string[]
  examples?: string[]
  inputModes?: string[]
  outputModes?: string[]
}

export interface AgentCard {
  protocolVersion: string
  name: string
  description: string
  url: string
  preferredTransport?: string
  version: string
  capabilities: { streaming?: boolean; pushNotifications?: boolean; extensions?: AgentExtension[] }
  defaultInputModes: string[]
  defaultOutputModes: string[]
  skills: AgentSkill[]
  provider?: { organization: string; url: string }
  documentationUrl?: string
  iconUrl?: string
}

/** States after which a task never changes. */
export const TERMINAL_STATES: readonly TaskState[] = ['completed', 'canceled', 'failed', 'rejected']
