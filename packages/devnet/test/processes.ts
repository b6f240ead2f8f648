// Process helpers for tests that check the devnet leaves nothing running.
import { execFileSync } from 'node:child_process'
import { connect } from 'node:net'

/** The direct children of `parentPid`, from `ps` (Linux and macOS). */
export function childProcessesOf(parentPid: number): { pid: number; args: string }[] {
  const table = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' })
  return table
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match) => match !== null && Number(match[2]) === parentPid)
    .map((match) => ({ pid: Number(match?.[1]), args: match?.[3] ?? '' }))
}

/** The devnet EVM node processes started by `parentPid`. */
export function evmNodeProcessesOf(parentPid: number): { pid: number; args: string }[] {
  return childProcessesOf(parentPid).filter((child) => child.args.includes('evm-node-child.cjs'))
}

/** Whether `pid` is a live process; an exited child whose parent died (a zombie not yet reaped) is not. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  try {
    const state = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim()
    return state !== '' && !state.startsWith('Z')
  } catch {
    return false // ps exits 1 when the process is gone
  }
}

/** Whether a TCP connection to host:port is accepted (false on refusal, unreachability or timeout). */
export function canConnect(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port })
    const done = (result: boolean) => {
      socket.destroy()
      resolve(result)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

/** The devnet Solana node processes started by `parentPid`. */
export function svmNodeProcessesOf(parentPid: number): { pid: number; args: string }[] {
  return childProcessesOf(parentPid).filter((child) => child.args.includes('svm-node-child.cjs'))
}
