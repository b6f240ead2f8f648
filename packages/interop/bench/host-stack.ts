import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { DevnetDescription } from '@open402/devnet'
import type { Stack } from '../src/stack.js'
import type { HostedStack } from './stack-host.js'

/** A stack served by a child process, with the URLs of its facilitator and resource server. */
export interface HostedStackProcess extends HostedStack {
  stop(): Promise<void>
}

/** Forks bench/stack-host.ts for `name` (inheriting tsx and the source condition) and waits for its URLs. */
export function hostStack(name: Stack['name'], devnet: DevnetDescription): Promise<HostedStackProcess> {
  const child = fork(fileURLToPath(new URL('./stack-host.ts', import.meta.url)), [name], {
    env: { ...process.env, OPEN402_BENCH_DEVNET: JSON.stringify(devnet) },
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    if (child.connected) child.disconnect()
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
    await exited
    clearTimeout(timer)
  }
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve({ ...(message as HostedStack), stop }))
    child.once('exit', (code) => reject(new Error(`stack host for ${name} exited with code ${code}`)))
  })
}
