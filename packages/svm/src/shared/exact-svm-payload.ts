/** The `payload` of an exact SVM payment: a partially signed transaction, base64 wire format (scheme_exact_svm.md). */
export interface ExactSvmPayload {
  transaction: string
}

/** Reads `payload.transaction`, or says what is wrong with the payload's shape. */
export function parseExactSvmPayload(
  payload: unknown,
): { ok: true; transaction: string } | { ok: false; message: string } {
  if (typeof payload !== 'object' || payload === null) {
    return { ok: false, message: 'payload must be an object { transaction: <base64> }' }
  }
  const transaction = (payload as Record<string, unknown>).transaction
  if (typeof transaction !== 'string' || transaction === '') {
    return { ok: false, message: 'payload.transaction must be a base64 serialized Solana transaction' }
  }
  return { ok: true, transaction }
}
