import { expect, test } from 'vitest'
import * as next from './index.js'

test('@open402/next exports only createPaymentWrapper', () => {
  expect(Object.keys(next)).toEqual(['createPaymentWrapper'])
})
