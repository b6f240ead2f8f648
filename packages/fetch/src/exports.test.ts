import { expect, test } from 'vitest'
import * as fetchPackage from './index.js'

test('@open402/fetch exports wrapFetch and getPaymentResponse', () => {
  expect(Object.keys(fetchPackage).sort()).toEqual(['getPaymentResponse', 'wrapFetch'])
})
