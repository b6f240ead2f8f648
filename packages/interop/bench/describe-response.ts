/** A short account of an unexpected answer for the failure line: status, body and any x402 header. */
export function describeResponse(response: Response, body = ''): string {
  const header = response.headers.get('payment-response') ?? response.headers.get('payment-required')
  const decoded = header ? Buffer.from(header, 'base64').toString('utf8') : ''
  return `${response.status} ${body.slice(0, 200)} ${decoded.slice(0, 300)}`.trim()
}
