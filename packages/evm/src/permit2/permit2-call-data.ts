import { encodeFunctionData, type Hex, hexToNumber, slice } from 'viem'
import { x402ExactPermit2ProxyAbi, x402UptoPermit2ProxyAbi } from '../shared/permit2.js'
import type { Eip2612Permit, Permit2Authorization } from '../shared/permit2-payload.js'

/** The EIP-2612 permit as the proxies take it: `{ value, deadline, r, s, v }` from the 65-byte `r || s || v`. */
function permit2612Tuple(permit: Eip2612Permit) {
  const v = hexToNumber(slice(permit.signature, 64, 65))
  return {
    value: permit.amount,
    deadline: permit.deadline,
    r: slice(permit.signature, 0, 32),
    s: slice(permit.signature, 32, 64),
    v: v < 27 ? v + 27 : v,
  }
}

function permitTuple(authorization: Permit2Authorization) {
  return {
    permitted: { token: authorization.permitted.token, amount: authorization.permitted.amount },
    nonce: authorization.nonce,
    deadline: authorization.deadline,
  }
}

/**
 * Calldata of the exact proxy: `settle(permit, owner, witness, signature)`, or `settleWithPermit(permit2612,
 * …)` when the payment carries an EIP-2612 permit for Permit2.
 */
export function exactPermit2CallData(
  authorization: Permit2Authorization,
  signature: Hex,
  permit2612: Eip2612Permit | undefined,
): Hex {
  const witness = { to: authorization.witness.to, validAfter: authorization.witness.validAfter }
  const args = [permitTuple(authorization), authorization.from, witness, signature] as const
  if (permit2612 === undefined) {
    return encodeFunctionData({ abi: x402ExactPermit2ProxyAbi, functionName: 'settle', args })
  }
  return encodeFunctionData({
    abi: x402ExactPermit2ProxyAbi,
    functionName: 'settleWithPermit',
    args: [permit2612Tuple(permit2612), ...args],
  })
}

/**
 * Calldata of the upto proxy: `settle(permit, amount, owner, witness, signature)` for the `amount` actually
 * charged (≤ the permitted maximum), or `settleWithPermit(permit2612, …)` with an EIP-2612 permit.
 */
export function uptoPermit2CallData(
  authorization: Permit2Authorization,
  signature: Hex,
  amount: bigint,
  permit2612: Eip2612Permit | undefined,
): Hex {
  const { to, facilitator, validAfter } = authorization.witness
  if (facilitator === undefined) throw new Error('an upto witness names its facilitator')
  const witness = { to, facilitator, validAfter }
  const args = [permitTuple(authorization), amount, authorization.from, witness, signature] as const
  if (permit2612 === undefined) {
    return encodeFunctionData({ abi: x402UptoPermit2ProxyAbi, functionName: 'settle', args })
  }
  return encodeFunctionData({
    abi: x402UptoPermit2ProxyAbi,
    functionName: 'settleWithPermit',
    args: [permit2612Tuple(permit2612), ...args],
  })
}
