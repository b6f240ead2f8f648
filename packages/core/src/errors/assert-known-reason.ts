import { type ErrorReason, isErrorReason, REASONS } from './reasons.js'

/**
 * Throws unless `reason` is a code from the registry; scheme tests call it on every reason their verify and
 * settle can return (STYLE: "a test asserts that every reason a scheme can return is in the registry").
 * @example assertKnownReason(result.invalidReason)
 */
export function assertKnownReason(reason: unknown): asserts reason is ErrorReason {
  if (!isErrorReason(reason)) {
    throw new Error(
      `reason ${JSON.stringify(reason)} is not in the registry (packages/core/src/errors/reasons.ts); add it there or use one of: ${REASONS.join(', ')}`,
    )
  }
}
