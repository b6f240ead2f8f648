import { accepts, withPayment } from '../../../lib/payment.js'

export const GET = withPayment({ accepts: accepts('$0.001'), description: 'Current weather' }, async () =>
  Response.json({ weather: 'sunny' }),
)
// Cross-origin clients send a CORS preflight first: the wrapped handler answers it without payment.
export const OPTIONS = GET
