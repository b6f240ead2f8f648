import { expect, test } from 'vitest'
import * as express from './index.js'

test('@open402/express exports only paymentMiddleware', () => {
  expect(Object.keys(express)).toEqual(['paymentMiddleware'])
})
