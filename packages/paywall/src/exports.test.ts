import { expect, test } from 'vitest'
import * as paywall from './index.js'

test('@open402/paywall exports only createPaywall', () => {
  expect(Object.keys(paywall)).toEqual(['createPaywall'])
})
