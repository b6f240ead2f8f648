import { type Address, type Hex, keccak256, stringToHex } from 'viem'
import type { TransferAuthorization } from '../../shared/transfer-with-authorization.js'

const DOMAIN_TYPEHASH = keccak256(
  stringToHex('EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)'),
).slice(2)
const TRANSFER_TYPEHASH = keccak256(
  stringToHex(
    'TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)',
  ),
).slice(2)

const MAX_CACHED_DOMAINS = 256
const domainSeparators = new Map<string, string>()

/**
 * The EIP-712 digest a payer signs for an EIP-3009 `TransferWithAuthorization` (what viem's
 * `hashTypedData` gives for `transferWithAuthorizationTypedData`), computed directly: the domain separator
 * is hashed once per (chain, token, name, version), and the struct is ABI-encoded by hand because every
 * field is a fixed 32-byte word. The inputs are already validated (checksummed addresses, uint256 values).
 */
export function authorizationDigest(
  chainId: number,
  asset: Address,
  name: string,
  version: string,
  authorization: TransferAuthorization,
): Hex {
  const { from, to, value, validAfter, validBefore, nonce } = authorization
  const structHash = keccak256(
    `0x${TRANSFER_TYPEHASH}${address(from)}${address(to)}${uint(value)}${uint(validAfter)}${uint(validBefore)}${word(nonce)}`,
  )
  return keccak256(`0x1901${domainSeparator(chainId, asset, name, version)}${structHash.slice(2)}`)
}

function domainSeparator(chainId: number, asset: Address, name: string, version: string): string {
  const key = `${chainId}\n${asset.toLowerCase()}\n${name}\n${version}`
  let separator = domainSeparators.get(key)
  if (separator === undefined) {
    const nameHash = keccak256(stringToHex(name)).slice(2)
    const versionHash = keccak256(stringToHex(version)).slice(2)
    separator = keccak256(
      `0x${DOMAIN_TYPEHASH}${nameHash}${versionHash}${uint(BigInt(chainId))}${address(asset)}`,
    ).slice(2)
    if (domainSeparators.size >= MAX_CACHED_DOMAINS) domainSeparators.clear()
    domainSeparators.set(key, separator)
  }
  return separator
}

/** An address as a left-padded 32-byte ABI word (hex, no 0x). */
function address(value: Address): string {
  return value.slice(2).toLowerCase().padStart(64, '0')
}

/** A uint256 as a 32-byte ABI word (hex, no 0x). */
function uint(value: bigint): string {
  return value.toString(16).padStart(64, '0')
}

/** A bytes32 as an ABI word (hex, no 0x). */
function word(value: Hex): string {
  return value.slice(2).toLowerCase().padStart(64, '0')
}
