import { expect, test } from 'vitest'
import * as axiosPackage from './index.js'

test('@open402/axios exports withPayments and getPaymentResponse', () => {
  expect(Object.keys(axiosPackage).sort()).toEqual(['getPaymentResponse', 'withPayments'])
})
