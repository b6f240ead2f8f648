import { describe, expect, test } from 'vitest'
import { buildPaywallScripts } from '../../scripts/build-script.js'
import * as generated from './paywall-script.js'

describe('the generated paywall script', () => {
  test('is what `pnpm --filter @open402/paywall build:script` produces from src/browser', async () => {
    const scripts = await buildPaywallScripts()
    expect(scripts).toEqual({ evm: generated.EVM_PAYWALL_SCRIPT, all: generated.FULL_PAYWALL_SCRIPT })
  })

  test('stays small: under 16 KB for EVM pages and 60 KB with Solana, minified', () => {
    const size = (script: string) => new TextEncoder().encode(script).length
    expect(size(generated.EVM_PAYWALL_SCRIPT)).toBeLessThan(16 * 1024)
    expect(size(generated.FULL_PAYWALL_SCRIPT)).toBeLessThan(60 * 1024)
  })

  test('can be inlined in a <script> element', () => {
    for (const script of [generated.EVM_PAYWALL_SCRIPT, generated.FULL_PAYWALL_SCRIPT]) {
      expect(script).not.toMatch(/<\/script|<script|<!--/i)
    }
  })
})
