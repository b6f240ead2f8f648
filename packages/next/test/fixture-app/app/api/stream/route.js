import { accepts, withPayment } from '../../../lib/payment.js'

// Settled before the handler runs, so its server-sent events are released as they are produced.
export const GET = withPayment({ accepts: accepts('$0.001'), settlement: 'before' }, async () => {
  const body = new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('data: tick 1\n\n'))
      // Left open until the client goes away: a client that reads the first event proves nothing
      // (Next, compression, the payment wrapper) waited for the end of the stream.
    },
  })
  return new Response(body, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } })
})
