import { type FacilitatorRequest, FacilitatorRequestSchema } from '@open402/core'

/** The outcome of reading a `/verify` or `/settle` body: the request, or a sentence saying what is wrong. */
export type ParsedFacilitatorRequest =
  | { ok: true; request: FacilitatorRequest }
  | { ok: false; message: string }

const MAX_REPORTED_ISSUES = 5

/**
 * Parses and validates the JSON body of `POST /verify` or `POST /settle` (spec §7.1, §7.2) with core's
 * `FacilitatorRequestSchema`; a failure names each offending path and its problem.
 */
export function parseFacilitatorRequest(text: string): ParsedFacilitatorRequest {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return {
      ok: false,
      message: 'body is not valid JSON; expected { paymentPayload, paymentRequirements }',
    }
  }
  const result = FacilitatorRequestSchema.safeParse(json)
  if (result.success) return { ok: true, request: result.data }
  const issues = result.error.issues
  const described = issues
    .slice(0, MAX_REPORTED_ISSUES)
    .map((issue) => `${formatPath(issue.path)}: ${issue.message}`)
  if (issues.length > MAX_REPORTED_ISSUES) described.push(`and ${issues.length - MAX_REPORTED_ISSUES} more`)
  return { ok: false, message: described.join('; ') }
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(body)'
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`))
    .join('')
}
