export { EIP1271_MAGIC_VALUE, eip1271Abi, eip3009Abi } from './eip3009-abi.js'
export {
  type ExactEvmPayload,
  type ParsedExactEvmPayload,
  parseExactEvmPayload,
} from './exact-evm-payload.js'
export {
  eip3009Domain,
  TRANSFER_WITH_AUTHORIZATION_TYPES,
  type TransferAuthorization,
  transferWithAuthorizationTypedData,
} from './transfer-with-authorization.js'
