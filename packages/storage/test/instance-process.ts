// A second facilitator instance in its own process, for tests: opens storage from the JSON config in argv,
// waits for "go" on stdin so every process starts together, runs the command and prints the results as JSON.
import { createInterface } from 'node:readline'
import { openStorage } from '../src/open-storage.js'
import type { StorageConfig } from '../src/storage-config.js'

const [command, configJson, countText, label] = process.argv.slice(2)
const storage = openStorage(JSON.parse(configJson ?? '{}') as StorageConfig)
const count = Number(countText ?? '1')

async function run(): Promise<unknown> {
  if (command === 'migrate') return storage.migrate()
  if (command === 'claim') {
    return Promise.all(
      Array.from({ length: count }, (_, index) =>
        storage.settlements
          .claimForSettlement('payment-1', undefined, { owner: `${label}:${index}`, leaseMs: 60_000 })
          .then((result) => result.claimed),
      ),
    )
  }
  throw new Error(`unknown command ${command}`)
}

await storage.ping().catch(() => {})
process.stdout.write('ready\n')
const lines = createInterface({ input: process.stdin })
for await (const line of lines) {
  if (line !== 'go') continue
  const result = await run()
  process.stdout.write(`${JSON.stringify(result)}\n`)
  break
}
lines.close()
await storage.close()
