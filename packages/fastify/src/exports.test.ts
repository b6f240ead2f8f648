import { expect, test } from 'vitest'
import * as fastify from './index.js'

test('@open402/fastify exports only paymentMiddleware', () => {
  expect(Object.keys(fastify)).toEqual(['paymentMiddleware'])
})
