// What each public package may pull at run time, and why. A package installs on its own: core pulls no chain
// SDK, an adapter pulls only core and takes its framework as a peer (the app's own copy), a scheme takes its
// chain SDK as a peer. Services and commands (facilitator, devnet, cli) are applications and pull what they run.

export interface AllowedPeer {
  reason: string
  /** Optional peers are marked so in peerDependenciesMeta: the package works without them. */
  optional?: boolean
}

export interface DependencyRule {
  dependencies: Record<string, string>
  peerDependencies: Record<string, AllowedPeer>
}

/** Chain SDKs: only schemes (as peers) and applications may depend on them. */
export const CHAIN_SDK = /^(viem|ethers|web3|@solana\/.+|@solana-program\/.+|litesvm|hardhat)$/

const CORE = { '@open402/core': 'the protocol: wire types, roles and HTTP handling' }

function adapter(framework: string, what: string): DependencyRule {
  return {
    dependencies: CORE,
    peerDependencies: { [framework]: { reason: `${what}: the app's own copy, never a second one` } },
  }
}

export const DEPENDENCY_RULES: Record<string, DependencyRule> = {
  '@open402/core': {
    dependencies: { zod: 'wire schemas, parsed at every boundary' },
    peerDependencies: {},
  },
  '@open402/evm': {
    dependencies: CORE,
    peerDependencies: { viem: { reason: 'the chain SDK: accounts and clients come from the app' } },
  },
  '@open402/svm': {
    dependencies: {
      ...CORE,
      '@solana-program/compute-budget': 'Solana program client (on Kit): compute budget instructions',
      '@solana-program/memo': 'Solana program client (on Kit): the memo that makes a payment unique',
      '@solana-program/token': 'Solana program client (on Kit): TransferChecked',
    },
    peerDependencies: { '@solana/kit': { reason: 'the chain SDK: signers and RPC come from the app' } },
  },
  '@open402/hono': adapter('hono', 'the framework'),
  '@open402/express': adapter('express', 'the framework'),
  '@open402/fastify': adapter('fastify', 'the framework'),
  '@open402/next': adapter('next', 'the framework'),
  '@open402/axios': adapter('axios', 'the HTTP client it wraps'),
  '@open402/mcp': adapter('@modelcontextprotocol/sdk', 'the MCP SDK whose server and client it wraps'),
  '@open402/fetch': { dependencies: CORE, peerDependencies: {} }, // wraps the platform's fetch
  '@open402/a2a': { dependencies: CORE, peerDependencies: {} }, // A2A JSON-RPC over the platform's fetch
  '@open402/paywall': { dependencies: CORE, peerDependencies: {} }, // HTML from strings
  '@open402/siwx': {
    dependencies: CORE,
    peerDependencies: {
      viem: { reason: 'EVM sign-in (./evm), only for apps that use it', optional: true },
      '@solana/kit': { reason: 'Solana sign-in (./solana), only for apps that use it', optional: true },
    },
  },
  '@open402/storage': {
    dependencies: {
      ...CORE,
      kysely: 'one SQL code path for both engines',
      'better-sqlite3': 'the embedded SQLite engine (the default)',
      pg: 'the PostgreSQL engine (many instances)',
    },
    peerDependencies: {},
  },
  '@open402/scheme-kit': {
    dependencies: CORE,
    peerDependencies: { vitest: { reason: "the conformance cases run in the scheme author's own vitest" } },
  },
  // Applications: they run the chains, the service or the command, so they bring what they run.
  '@open402/facilitator': {
    dependencies: {
      ...CORE,
      '@open402/evm': 'settles on EVM chains',
      '@open402/svm': 'settles on Solana',
      '@open402/storage': 'the settlement ledger',
      viem: 'the EVM scheme’s peer, provided by the service',
      '@solana/kit': 'the Solana scheme’s peer, provided by the service',
      hono: 'the HTTP service',
      '@hono/node-server': 'the HTTP service on Node',
      pino: 'JSON logs',
      'prom-client': 'Prometheus metrics',
      zod: 'the configuration file’s schema',
    },
    peerDependencies: {},
  },
  '@open402/devnet': {
    dependencies: {
      hardhat: 'the local EVM chain',
      viem: 'deploys the token, funds accounts',
      litesvm: 'the local Solana chain',
      '@solana/kit': 'Solana RPC types and codecs',
      '@solana-program/token': 'creates the USDC-like mints',
      '@solana-program/system': 'funds accounts',
    },
    peerDependencies: {},
  },
  '@open402/cli': {
    dependencies: {
      ...CORE,
      '@open402/devnet': 'open402 devnet',
      '@open402/evm': 'pays on EVM chains',
      '@open402/svm': 'pays on Solana',
      '@open402/facilitator': 'open402 facilitator',
      '@open402/fetch': 'open402 pay',
      viem: 'the EVM scheme’s peer: the payer’s account',
      '@solana/kit': 'the Solana scheme’s peer: the payer’s signer',
    },
    peerDependencies: {},
  },
}
