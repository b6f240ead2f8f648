import type { AgentCard, AgentSkill } from './a2a-types.js'
import { X402_EXTENSION_URI } from './constants.js'

/** What a serving agent says about itself; the rest of its {@link AgentCard} is filled in. */
export interface AgentCardInput extends Partial<Omit<AgentCard, 'skills'>> {
  name: string
  description: string
  /** The JSON-RPC endpoint, e.g. `https://agent.example/a2a`; the card is served at its origin's `/.well-known/agent-card.json`. */
  url: string
}

/** The well-known path of the agent card (A2A §5.3). */
export const AGENT_CARD_PATH = '/.well-known/agent-card.json'

/**
 * The A2A v0.3 agent card of a paid agent: JSON-RPC transport, the x402 extension declared `required: true`
 * (a2a-x402 spec/v0.2 §3), and the given skills.
 */
export function buildAgentCard(input: AgentCardInput, skills: AgentSkill[]): AgentCard {
  const declared = (input.capabilities?.extensions ?? []).filter((e) => e.uri !== X402_EXTENSION_URI)
  return {
    protocolVersion: '0.3',
    version: '1.0.0',
    preferredTransport: 'JSONRPC',
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    ...input,
    capabilities: {
      streaming: false,
      pushNotifications: false,
      ...input.capabilities,
      extensions: [
        {
          uri: X402_EXTENSION_URI,
          description: 'Supports payments using the x402 protocol for on-chain settlement.',
          required: true,
        },
        ...declared,
      ],
    },
    skills,
  }
}
