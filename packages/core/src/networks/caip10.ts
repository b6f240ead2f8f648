import { X402Error } from '../errors/x402-error.js'
import { type Caip2, isCaip2 } from './caip2.js'

/**
 * A CAIP-10 account id, `chain_id:account_address`, e.g. `eip155:8453:0xab…`.
 * @see https://chainagnostic.org/CAIPs/caip-10
 */
export type Caip10 = `${string}:${string}:${string}`

const ADDRESS = /^[-.%a-zA-Z0-9]{1,128}$/

/** Whether `value` is a syntactically valid CAIP-10 account id. */
export function isCaip10(value: unknown): value is Caip10 {
  if (typeof value !== 'string') return false
  const last = value.lastIndexOf(':')
  return last > 0 && isCaip2(value.slice(0, last)) && ADDRESS.test(value.slice(last + 1))
}

/** Splits a CAIP-10 account id into its chain id and address. */
export function parseCaip10(value: string): { network: Caip2; address: string } {
  if (!isCaip10(value))
    throw new X402Error('invalid_network', `${JSON.stringify(value)} is not a CAIP-10 account id`)
  const last = value.lastIndexOf(':')
  return { network: value.slice(0, last) as Caip2, address: value.slice(last + 1) }
}

/** Joins a CAIP-2 chain id and an address into a CAIP-10 account id. */
export function formatCaip10(network: Caip2, address: string): Caip10 {
  const id = `${network}:${address}`
  if (!isCaip10(id))
    throw new X402Error('invalid_network', `${network} + ${address} is not a valid CAIP-10 account id`)
  return id as Caip10
}
