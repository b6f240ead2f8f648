import { accepts, withPayment } from '../../../lib/payment.js'

export const GET = withPayment({ accepts: accepts('$0.001') }, async () =>
  Response.json({ error: 'database down' }, { status: 500 }),
)
