// A TCP proxy that loses responses on purpose, for tests and demos of idempotent retries: it forwards both
// ways and, when asked, kills the connection of a paid request (one carrying PAYMENT-SIGNATURE) the moment
// the server starts answering it, so the server has settled and sent its answer but the client gets none.
import { type AddressInfo, createServer, type Server, Socket } from 'node:net'

/** A running {@link startLossyProxy}. */
export interface LossyProxy {
  port: number
  /** The next response to a request carrying PAYMENT-SIGNATURE is cut before its first byte reaches the client. */
  dropNextPaidResponse(): void
  /** The PAYMENT-SIGNATURE of every paid request seen, in order. */
  paidRequests: string[]
  /** The PAYMENT-SIGNATURE of each request whose response was dropped. */
  dropped: string[]
  close(): Promise<void>
}

/**
 * Starts a TCP proxy on 127.0.0.1 in front of `targetPort` that can kill a paid request's connection the
 * moment the server starts answering (`dropNextPaidResponse()`), as a flaky network would.
 * @example const proxy = await startLossyProxy(apiPort); proxy.dropNextPaidResponse()
 */
export async function startLossyProxy(targetPort: number): Promise<LossyProxy> {
  const sockets = new Set<Socket>()
  let drops = 0
  const paidRequests: string[] = []
  const dropped: string[] = []
  const server: Server = createServer((client) => {
    const upstream = new Socket()
    sockets.add(client).add(upstream)
    let signature: string | undefined
    let seen = ''
    const close = () => {
      client.destroy()
      upstream.destroy()
      sockets.delete(client)
      sockets.delete(upstream)
    }
    client.on('error', close).on('close', close)
    upstream.on('error', close).on('close', close)
    client.on('data', (chunk: Buffer) => {
      seen = (seen + chunk.toString('latin1')).slice(-200_000)
      const match = /payment-signature:\s*([A-Za-z0-9+/=]+)/i.exec(seen)
      if (match?.[1] && match[1] !== signature) {
        signature = match[1]
        paidRequests.push(signature)
      }
      upstream.write(chunk)
    })
    upstream.on('data', (chunk: Buffer) => {
      if (signature !== undefined && drops > 0) {
        drops--
        dropped.push(signature)
        close()
        return
      }
      seen = ''
      signature = undefined
      client.write(chunk)
    })
    upstream.connect(targetPort, '127.0.0.1')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    dropNextPaidResponse: () => {
      drops++
    },
    paidRequests,
    dropped,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
