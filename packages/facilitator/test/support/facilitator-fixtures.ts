import type { ChildProcess } from 'node:child_process'
import type { PaymentPayload, PaymentRequirements, SettleResponse } from '@open402/core'
import { type Devnet, startDevnet } from '@open402/devnet'
import { exactEvmClient } from '@open402/evm/client'
import { createStorageSettlementLedger, openStorage, type StorageConfig } from '@open402/storage'
import { type PublicClient, parseAbiItem } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { createEngineFixture } from '../../../storage/test/engines.js'
import { type FacilitatorConfigInput, parseFacilitatorConfig } from '../../src/facilitator-config.js'
import { type FacilitatorService, startFacilitatorService } from '../../src/start-facilitator-service.js'

/** Cleanups a test registers, run in reverse order after it. */
export type Cleanups = (() => Promise<unknown>)[]

/** A signed exact EVM payment and the requirements it answers. */
export interface SignedPayment {
  payload: PaymentPayload
  requirements: PaymentRequirements
}

const TRANSFER = parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 value)')

/** Starts an EVM devnet before the file's tests, hands it to `use`, and stops it after them. */
export function useEvmDevnet(use: (devnet: Devnet<'evm'>) => void): void {
  let devnet: Devnet<'evm'> | undefined
  beforeAll(async () => {
    devnet = await startDevnet({ chains: ['evm'] })
    use(devnet)
  })
  afterAll(async () => {
    await devnet?.stop()
  })
}

/** A cleanup list run in reverse after each test of the file, a failing cleanup not stopping the others. */
export function useCleanups(): Cleanups {
  const cleanups: Cleanups = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {})
  })
  return cleanups
}

/** A JSON-RPC call straight to the devnet node, never through a proxy. */
export async function devnetRpc(
  devnet: Devnet<'evm'>,
  method: string,
  params: unknown[] = [],
): Promise<unknown> {
  const response = await fetch(devnet.evm.rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  return ((await response.json()) as { result: unknown }).result
}

/** The devnet payer's exact EVM payment of `amount` token units to the merchant, signed. */
export async function signedPayment(devnet: Devnet<'evm'>, amount: string): Promise<SignedPayment> {
  const { network, token, accounts } = devnet.evm
  const requirements: PaymentRequirements = {
    scheme: 'exact',
    network,
    amount,
    asset: token.address,
    payTo: accounts.merchant.address,
    maxTimeoutSeconds: 300,
    extra: { name: token.name, version: token.version },
  }
  const client = exactEvmClient({ account: privateKeyToAccount(accounts.payer.privateKey) })
  const resource = { url: 'http://localhost/report' }
  const payload: PaymentPayload = {
    x402Version: 2,
    resource,
    accepted: requirements,
    payload: await client.createPayload(requirements, { x402Version: 2, resource }),
  }
  return { payload, requirements }
}

/** The JSON body of a /verify or /settle request for `payment`. */
export function paymentBody(payment: SignedPayment): string {
  return JSON.stringify({
    x402Version: 2,
    paymentPayload: payment.payload,
    paymentRequirements: payment.requirements,
  })
}

/** The /settle body of the devnet payer's signed payment of `amount`. */
export async function signedPaymentBody(devnet: Devnet<'evm'>, amount: string): Promise<string> {
  return paymentBody(await signedPayment(devnet, amount))
}

/** POSTs a payment body to the facilitator's `path`; resolves with the status and the JSON answer. */
export async function postPayment(url: string, path: '/settle' | '/verify', body: string) {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  })
  return {
    status: response.status,
    body: (await response.json()) as SettleResponse & Record<string, unknown>,
  }
}

/** POSTs a payment body to the facilitator's /settle. */
export function settle(url: string, body: string) {
  return postPayment(url, '/settle', body)
}

/** GETs `url`; resolves with the status and the JSON answer. */
export async function getJson(url: string) {
  const response = await fetch(url)
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

/** GETs the facilitator's ledger record of settlement `id`. */
export function getSettlement(url: string, id: string) {
  return getJson(`${url}/settlements/${id}`)
}

/** The ledger id a settle answer carries in its `open402-settlement` extension, '' when it has none. */
export function settlementId(response: SettleResponse): string {
  return (response.extensions?.['open402-settlement'] as { id?: string } | undefined)?.id ?? ''
}

/** Reads every 100 ms until `done` holds, and throws after `timeoutMs`. */
export async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms: ${JSON.stringify(value)}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** The token transfers from the devnet payer to the merchant since `fromBlock`. */
export function payerTransfers(chain: PublicClient, devnet: Devnet<'evm'>, fromBlock: bigint) {
  const { token, accounts } = devnet.evm
  return chain.getLogs({
    address: token.address,
    event: TRANSFER,
    args: { from: accounts.payer.address, to: accounts.merchant.address },
    fromBlock,
    toBlock: 'latest',
  })
}

/** Starts a facilitator service from `input` with a ledger in `storageConfig`, closed on cleanup. */
export async function startLedgerService(
  cleanups: Cleanups,
  storageConfig: StorageConfig,
  input: FacilitatorConfigInput,
): Promise<FacilitatorService> {
  const storage = openStorage(storageConfig)
  const service = await startFacilitatorService({
    config: parseFacilitatorConfig(input),
    storage: { storage, ledger: createStorageSettlementLedger(storage) },
  })
  cleanups.push(() => service.close())
  return service
}

/** Starts a facilitator service with a SQLite ledger reaching the devnet through `rpcUrl`, with short timeouts. */
export async function startSqliteServiceVia(
  cleanups: Cleanups,
  devnet: Devnet<'evm'>,
  rpcUrl: string,
  server: FacilitatorConfigInput['server'] = { port: 0 },
): Promise<FacilitatorService> {
  const fixture = createEngineFixture('sqlite')
  cleanups.push(() => fixture.cleanup())
  const { network, accounts } = devnet.evm
  return startLedgerService(cleanups, fixture.config, {
    server,
    evm: [{ network, rpcUrl, privateKeys: [accounts.facilitator.privateKey], receiptTimeoutMs: 1500 }],
    rpc: { retries: 1, retryDelayMs: 50 },
    storage: { url: 'sqlite:unused', reconcileIntervalMs: 500 },
    logging: { level: 'silent' },
  })
}

/** Collects a CLI child's output; `url` resolves from its first stdout line, or rejects if it exits first. */
export function watchCli(child: ChildProcess): {
  url: Promise<string>
  output: () => { stdout: string; stderr: string }
} {
  let stderr = ''
  let stdout = ''
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk)
  })
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      stdout += String(chunk)
      const newline = stdout.indexOf('\n')
      if (newline !== -1) resolve(stdout.slice(0, newline))
    })
    child.once('exit', (code) => reject(new Error(`CLI exited with ${code} before listening: ${stderr}`)))
  })
  const url = firstLine.then((line) => (JSON.parse(line) as { url: string }).url)
  return { url, output: () => ({ stdout, stderr }) }
}
