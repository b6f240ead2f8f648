import { expect, test } from 'vitest'
import * as hono from './index.js'

test('@open402/hono exports only paymentMiddleware', () => {
  expect(Object.keys(hono)).toEqual(['paymentMiddleware'])
})
