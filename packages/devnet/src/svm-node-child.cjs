'use strict'
// The devnet's Solana JSON-RPC node: litesvm (the real SVM with the SPL Token, Token-2022, Associated
// Token Account and Compute Budget programs) behind node:http, run in its own process by
// svm-node-process.ts so the chain never shares an event loop with the tests or benchmarks that use it.
// Plain CommonJS so it runs with bare `node` from sources and from an install alike.
//
// Config (first stdin line, see child-lifecycle.cjs): { host, port, parentPid, slotMs, genesisHash,
// accounts: [{ address, owner, lamports?, data (base64), executable? }] }.
const { createServer } = require('node:http')
const { runChild } = require('./child-lifecycle.cjs')
const { SvmChain } = require('./svm-node/chain.cjs')
const { answerJsonRpc } = require('./svm-node/json-rpc.cjs')
const { rpcMethods } = require('./svm-node/rpc-methods.cjs')

const MAX_BODY_BYTES = 50 * 1024 * 1024
// Browsers (a paywall page fetching a blockhash) may call the RPC from any origin, as public Solana RPC
// endpoints allow.
const CORS = { 'access-control-allow-origin': '*' }
const PREFLIGHT = {
  ...CORS,
  'access-control-allow-methods': 'POST, GET, OPTIONS',
  'access-control-allow-headers': 'content-type, solana-client',
  'access-control-max-age': '86400',
}

function serve(chain, host, port) {
  const methods = rpcMethods(chain)
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/health') {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok')
      return
    }
    if (request.method === 'OPTIONS') {
      response.writeHead(204, PREFLIGHT).end()
      return
    }
    if (request.method !== 'POST') {
      response.writeHead(405, { allow: 'POST' }).end()
      return
    }
    const chunks = []
    let size = 0
    request.on('data', (chunk) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        response.writeHead(413).end()
        request.destroy()
        return
      }
      chunks.push(chunk)
    })
    request.on('end', () => {
      if (response.headersSent) return
      chain.clock.tick()
      const body = answerJsonRpc(Buffer.concat(chunks).toString('utf8'), methods)
      response.writeHead(200, { 'content-type': 'application/json', ...CORS }).end(body)
    })
  })
  server.keepAliveTimeout = 60_000
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve(server.address()))
  })
}

runChild(async (config) => {
  const chain = new SvmChain(config)
  return serve(chain, config.host, config.port)
})
