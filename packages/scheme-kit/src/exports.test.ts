import { expect, test } from 'vitest'
import * as root from './index.js'

// Any change to the public runtime surface shows up here in review.
test('the public runtime surface of @open402/scheme-kit', () => {
  expect(Object.keys(root).sort()).toEqual(['runSchemeConformance'])
})
