'use strict'
// The life cycle shared by the devnet's chain processes (evm-node-child.cjs, svm-node-child.cjs):
//
// stdin: a first line of JSON config (with `parentPid`), then kept open (never written to again) for as
//        long as the parent wants the node.
// stdout: exactly one JSON line, {"listening":{"address","port"}} or {"error":"..."}.
// The process exits when told to (SIGTERM), when its stdin closes (the parent died or let go of it), or
// when the parent process is gone.

const PARENT_POLL_MS = 1000

function exit(code) {
  process.exit(code)
}

function report(message) {
  process.stdout.write(`${JSON.stringify(message)}\n`)
}

function readConfig() {
  return new Promise((resolve, reject) => {
    let buffered = ''
    const onData = (chunk) => {
      buffered += chunk.toString('utf8')
      const newline = buffered.indexOf('\n')
      if (newline === -1) return
      process.stdin.off('data', onData)
      try {
        resolve(JSON.parse(buffered.slice(0, newline)))
      } catch (error) {
        reject(error)
      }
    }
    process.stdin.on('data', onData)
  })
}

function watchParent(parentPid) {
  const timer = setInterval(() => {
    try {
      process.kill(parentPid, 0)
    } catch {
      exit(0)
    }
    if (process.ppid !== parentPid) exit(0)
  }, PARENT_POLL_MS)
  timer.unref()
}

/**
 * Installs the exit rules, reads the config, starts the node with `start(config)` (which resolves to the
 * `{ address, port }` it listens on) and reports the outcome on stdout.
 */
function runChild(start) {
  const main = async () => {
    process.once('SIGTERM', () => exit(0))
    // Ctrl-C in a terminal reaches the whole process group: leave it to the parent, which stops this
    // process (or dies, closing stdin).
    process.on('SIGINT', () => undefined)
    process.stdin.on('end', () => exit(0))
    process.stdin.on('close', () => exit(0))
    process.stdin.on('error', () => exit(0))
    const config = await readConfig()
    process.stdin.resume() // keep reading, only to notice the end of the stream
    watchParent(config.parentPid)
    const address = await start(config)
    report({ listening: { address: address.address, port: address.port } })
  }
  main().catch((error) => {
    report({ error: error instanceof Error ? error.message : String(error) })
    exit(1)
  })
}

module.exports = { runChild }
