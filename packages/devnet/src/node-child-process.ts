import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const STDERR_TAIL_CHARS = 4000
const STOP_GRACE_MS = 5000

/** A running chain node in a child process, serving JSON-RPC over HTTP. */
export interface NodeChildProcess {
  /** The address the node listens on, as reported by the child ("127.0.0.1"). */
  address: string
  port: number
  rpcUrl: string
  pid: number
  /** Kills the node (SIGTERM, then SIGKILL after a grace period) and resolves once it has exited. */
  stop(): Promise<void>
}

/** Where a node's child script is: a plain .cjs file shipped in src/ (see child-lifecycle.cjs). */
export function childScriptPath(fileName: string): string {
  // This module sits directly in src/ and is bundled into dist/*.js, both one level below the package
  // root, so the same relative URL finds the script from sources and from an install.
  return fileURLToPath(new URL(`../src/${fileName}`, import.meta.url))
}

/**
 * Spawns `node <script>`, hands it `config` (plus this process's pid) as the first line on stdin and
 * resolves once it reports that it listens. `label` names the node in errors ("devnet EVM node").
 */
export async function spawnNodeChild(
  script: string,
  config: Record<string, unknown>,
  label: string,
  startTimeoutMs = 30_000,
): Promise<NodeChildProcess> {
  // The config goes in as the first line on stdin, which then stays open: the child exits when it closes,
  // which happens when this process dies, however it dies.
  const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'pipe'] })
  child.stdin?.on('error', () => undefined) // EPIPE if the child died first: reported through 'exit'
  child.stdin?.write(`${JSON.stringify({ ...config, parentPid: process.pid })}\n`)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)

  let listening: { address: string; port: number }
  try {
    listening = await waitUntilListening(child, label, startTimeoutMs)
  } catch (error) {
    process.removeListener('exit', killOnExit)
    child.kill('SIGKILL')
    await exited
    throw error
  }
  child.stderr?.pipe(process.stderr)
  let stopping = false
  child.on('error', (error) => process.stderr.write(`${label}: ${error.message}\n`))
  child.once('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`${label} exited unexpectedly (code ${code}, signal ${signal})\n`)
  })

  const urlHost = urlHostFor(listening.address)
  return {
    address: listening.address,
    port: listening.port,
    rpcUrl: `http://${urlHost}:${listening.port}`,
    pid: child.pid ?? -1,
    async stop() {
      stopping = true
      process.removeListener('exit', killOnExit)
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        const escalate = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS)
        await exited
        clearTimeout(escalate)
      }
      child.stdin?.destroy()
      child.stderr?.unpipe(process.stderr)
    },
  }
}

function waitUntilListening(
  child: ChildProcess,
  label: string,
  timeoutMs: number,
): Promise<{ address: string; port: number }> {
  return new Promise((resolve, reject) => {
    let stdout = ''
    let stderr = ''
    const settle = (outcome: () => void) => {
      clearTimeout(timer)
      child.stdout?.removeListener('data', onStdout)
      child.stderr?.removeListener('data', onStderr)
      child.removeListener('exit', onExit)
      child.removeListener('error', onError)
      child.stdout?.resume() // keep draining anything the child writes later
      outcome()
    }
    const fail = (message: string) =>
      settle(() => reject(new Error(stderr.trim() === '' ? message : `${message}\n${stderr.trim()}`)))
    const onStdout = (chunk: Buffer) => {
      stdout += chunk.toString('utf8')
      const newline = stdout.indexOf('\n')
      if (newline === -1) return
      const line = stdout.slice(0, newline)
      let message: { listening?: { address: string; port: number }; error?: string }
      try {
        message = JSON.parse(line)
      } catch {
        return fail(`${label} printed an unexpected line: ${line}`)
      }
      if (message.listening !== undefined) {
        const { listening } = message
        return settle(() => resolve(listening))
      }
      fail(`${label} failed to start: ${message.error ?? line}`)
    }
    const onStderr = (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS)
    }
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(`${label} exited before listening (code ${code}, signal ${signal})`)
    const onError = (error: Error) => fail(`${label} could not be spawned: ${error.message}`)
    const timer = setTimeout(() => fail(`${label} did not listen within ${timeoutMs} ms`), timeoutMs)
    child.stdout?.on('data', onStdout)
    child.stderr?.on('data', onStderr)
    child.once('exit', onExit)
    child.once('error', onError)
  })
}

function urlHostFor(address: string): string {
  if (address === '0.0.0.0') return '127.0.0.1'
  if (address === '::') return '[::1]'
  return address.includes(':') ? `[${address}]` : address
}
