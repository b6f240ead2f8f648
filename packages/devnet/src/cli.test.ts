import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, test } from 'vitest'
import { canConnect, evmNodeProcessesOf, isProcessAlive, svmNodeProcessesOf } from '../test/processes.js'
import type { DevnetDescription } from './devnet-description.js'

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url))
const running: ChildProcess[] = []

afterEach(() => {
  for (const child of running.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
})

/** Runs the CLI from sources, as `pnpm --filter @open402/devnet exec tsx src/cli.ts` does. */
function runCli(args: string[] = []) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@open402/source', 'src/cli.ts', ...args],
    {
      cwd: PACKAGE_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  running.push(child)
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8')
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8')
  })
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
  const firstLine = new Promise<string>((resolve, reject) => {
    const onData = () => {
      const newline = stdout.indexOf('\n')
      if (newline === -1) return
      child.stdout?.off('data', onData)
      resolve(stdout.slice(0, newline))
    }
    child.stdout?.on('data', onData)
    exited.then(([code]) => reject(new Error(`CLI exited with ${code} before printing: ${stderr}`)))
  })
  firstLine.catch(() => undefined) // tests that expect a failed start only await `exited`
  return { child, firstLine, exited, output: () => ({ stdout, stderr }) }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (condition()) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return condition()
}

describe('open402-devnet CLI', () => {
  test('prints one line of JSON describing both chains and exits 0 on SIGTERM, stopping both nodes', async () => {
    const cli = runCli()
    const description = JSON.parse(await cli.firstLine) as DevnetDescription
    expect(description.evm.chainId).toBe(31337)
    expect(description.evm.network).toBe('eip155:31337')
    expect(description.evm.rpcUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(description.evm.token.symbol).toBe('USDC')
    expect(description.evm.accounts.others.length).toBeGreaterThanOrEqual(8)

    const response = await fetch(description.evm.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    })
    expect(await response.json()).toMatchObject({ result: '0x7a69' })
    expect(description.svm.network).toBe('solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1')
    expect(description.svm.rpcUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(description.svm.mint.address).toBe('4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU')
    expect(description.svm.accounts.payer.secretKey).toMatch(/^[1-9A-HJ-NP-Za-km-z]{80,90}$/)
    const svmResponse = await fetch(description.svm.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'getGenesisHash', params: [] }),
    })
    expect(await svmResponse.json()).toMatchObject({ result: description.svm.genesisHash })
    const nodes = [...evmNodeProcessesOf(cli.child.pid ?? -1), ...svmNodeProcessesOf(cli.child.pid ?? -1)]
    expect(nodes).toHaveLength(2)

    cli.child.kill('SIGTERM')
    const [code, signal] = await cli.exited
    expect({ code, signal }).toEqual({ code: 0, signal: null })
    expect(cli.output().stdout.split('\n')).toEqual([expect.any(String), ''])
    expect(nodes.map((node) => isProcessAlive(node.pid))).toEqual([false, false])
    for (const rpcUrl of [description.evm.rpcUrl, description.svm.rpcUrl]) {
      expect(await canConnect('127.0.0.1', Number(new URL(rpcUrl).port))).toBe(false)
    }
  })

  test('exits 0 on SIGINT and honours --port, --svm-port and --host', async () => {
    const probe = runCli()
    const probed = JSON.parse(await probe.firstLine) as DevnetDescription
    const port = Number(new URL(probed.evm.rpcUrl).port)
    const svmPort = Number(new URL(probed.svm.rpcUrl).port)
    probe.child.kill('SIGTERM')
    await probe.exited

    const cli = runCli(['--port', String(port), '--svm-port', String(svmPort), '--host', '127.0.0.1'])
    const description = JSON.parse(await cli.firstLine) as DevnetDescription
    expect(description.evm.rpcUrl).toBe(`http://127.0.0.1:${port}`)
    expect(description.svm.rpcUrl).toBe(`http://127.0.0.1:${svmPort}`)
    cli.child.kill('SIGINT')
    const [code] = await cli.exited
    expect(code).toBe(0)
  })

  test('both nodes exit by themselves when the CLI is killed with SIGKILL', async () => {
    const cli = runCli()
    await cli.firstLine
    const evmPid = evmNodeProcessesOf(cli.child.pid ?? -1)[0]?.pid ?? -1
    const svmPid = svmNodeProcessesOf(cli.child.pid ?? -1)[0]?.pid ?? -1
    expect([isProcessAlive(evmPid), isProcessAlive(svmPid)]).toEqual([true, true])
    cli.child.kill('SIGKILL')
    await cli.exited
    expect(await waitUntil(() => !isProcessAlive(evmPid) && !isProcessAlive(svmPid), 5000)).toBe(true)
  })

  test('--chains svm runs the Solana chain alone', async () => {
    const cli = runCli(['--chains', 'svm'])
    const description = JSON.parse(await cli.firstLine) as Partial<DevnetDescription>
    expect(Object.keys(description)).toEqual(['svm'])
    expect(evmNodeProcessesOf(cli.child.pid ?? -1)).toHaveLength(0)
    expect(svmNodeProcessesOf(cli.child.pid ?? -1)).toHaveLength(1)
    cli.child.kill('SIGTERM')
    const [code] = await cli.exited
    expect(code).toBe(0)
  })

  test('--stand-in base-sepolia runs the EVM chain as chain 84532 with Base Sepolia USDC', async () => {
    const cli = runCli(['--chains', 'evm', '--stand-in', 'base-sepolia'])
    const description = JSON.parse(await cli.firstLine) as Pick<DevnetDescription, 'evm'>
    expect(description.evm).toMatchObject({
      chainId: 84532,
      network: 'eip155:84532',
      standIn: 'base-sepolia',
      token: { address: '0x036CbD53842c5426634e7929541eC2318f3dCF7e', name: 'USDC', version: '2' },
    })
    const response = await fetch(description.evm.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    })
    expect(await response.json()).toMatchObject({ result: '0x14a34' })
    cli.child.kill('SIGTERM')
    const [code] = await cli.exited
    expect(code).toBe(0)
  })

  test('--no-permit2-approval starts the payer without an allowance for Permit2', async () => {
    const cli = runCli(['--chains', 'evm', '--no-permit2-approval'])
    const description = JSON.parse(await cli.firstLine) as Pick<DevnetDescription, 'evm'>
    expect(description.evm).toMatchObject({
      permit2Approval: false,
      permit2: '0x000000000022D473030F116dDEE9F6B43aC78BA3',
    })
    const owner = description.evm.accounts.payer.address.slice(2).toLowerCase().padStart(64, '0')
    const spender = description.evm.permit2.slice(2).toLowerCase().padStart(64, '0')
    const response = await fetch(description.evm.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'eth_call',
        // allowance(address,address)
        params: [{ to: description.evm.token.address, data: `0xdd62ed3e${owner}${spender}` }, 'latest'],
      }),
    })
    expect(await response.json()).toMatchObject({ result: `0x${'0'.repeat(64)}` })
    cli.child.kill('SIGTERM')
    const [code] = await cli.exited
    expect(code).toBe(0)
  })

  test('rejects a bad --port with exit code 1 and a message', async () => {
    const cli = runCli(['--port', 'eighty'])
    const [code] = await cli.exited
    expect(code).toBe(1)
    expect(cli.output().stderr).toContain('--port must be an integer from 0 to 65535, got eighty')
    expect(cli.output().stdout).toBe('')
    const badChains = runCli(['--chains', 'evm,cosmos'])
    const [badChainsCode] = await badChains.exited
    expect(badChainsCode).toBe(1)
    expect(badChains.output().stderr).toContain('--chains must list evm and/or svm, got evm,cosmos')
    const badStandIn = runCli(['--stand-in', 'base'])
    const [badStandInCode] = await badStandIn.exited
    expect(badStandInCode).toBe(1)
    expect(badStandIn.output().stderr).toContain('--stand-in must be one of base-sepolia, got base')
  })
})
