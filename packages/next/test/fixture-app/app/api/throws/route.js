import { accepts, withPayment } from '../../../lib/payment.js'

export const GET = withPayment({ accepts: accepts('$0.001') }, async () => {
  throw new Error('handler exploded')
})
