import { type ChildProcess, spawn } from 'node:child_process'

/** A command that runs until stopped (a devnet, a service), in its own process group. */
export interface LongRunning {
  child: ChildProcess
  /** Resolves with the first stdout line, or rejects when the process ends or the time is up first. */
  firstLine(timeoutMs: number): Promise<string>
  /** SIGTERM, then the exit code (SIGKILL to the group after 20 s). */
  stop(): Promise<number | null>
  output(): string
}

export function startLongRunning(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): LongRunning {
  const fullEnv: Record<string, string | undefined> = { ...process.env, ...env }
  delete fullEnv.NODE_OPTIONS
  const child = spawn(command, args, { cwd, env: fullEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  return {
    child,
    output: () => `stdout:\n${stdout}\nstderr:\n${stderr}`,
    firstLine: (timeoutMs) =>
      new Promise((resolve, reject) => {
        const started = Date.now()
        const poll = setInterval(() => {
          const newline = stdout.indexOf('\n')
          if (newline >= 0) {
            clearInterval(poll)
            resolve(stdout.slice(0, newline))
          } else if (child.exitCode !== null || Date.now() - started > timeoutMs) {
            clearInterval(poll)
            reject(new Error(`${command} printed no line (exit ${child.exitCode}):\n${stderr}`))
          }
        }, 50)
      }),
    stop: async () => {
      if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGTERM')
      const timer = setTimeout(() => {
        if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL')
      }, 20_000)
      const code = await exited
      clearTimeout(timer)
      return code
    },
  }
}
