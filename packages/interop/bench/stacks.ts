import { officialStack } from '../src/official/official-stack.js'
import { open402Stack } from '../src/open402/open402-stack.js'
import type { Stack } from '../src/stack.js'

/** The stacks the bench compares, in the order they run and print. */
export const STACKS: Record<Stack['name'], Stack> = {
  official: officialStack,
  open402: open402Stack,
}
