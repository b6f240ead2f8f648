export { declareEip2612GasSponsoring } from './eip2612-gas-sponsoring.js'
export { EIP1271_MAGIC_VALUE, eip1271Abi, eip3009Abi } from './eip3009-abi.js'
export {
  type ExactEvmPayload,
  type ParsedExactEvmPayload,
  parseExactEvmPayload,
} from './exact-evm-payload.js'
export {
  EIP2612_GAS_SPONSORING,
  EIP2612_PERMIT_TYPES,
  EXACT_PERMIT2_WITNESS_TYPES,
  PERMIT2_ADDRESS,
  permit2Domain,
  UPTO_PERMIT2_WITNESS_TYPES,
  X402_EXACT_PERMIT2_PROXY_ADDRESS,
  X402_UPTO_PERMIT2_PROXY_ADDRESS,
  x402ExactPermit2ProxyAbi,
  x402UptoPermit2ProxyAbi,
} from './permit2.js'
export {
  type Eip2612GasSponsoringInfo,
  type Eip2612Permit,
  isPermit2Payload,
  type ParsedPermit2Payload,
  type Permit2Authorization,
  type Permit2EvmPayload,
  parseEip2612Extension,
  parsePermit2Payload,
} from './permit2-payload.js'
export {
  type AnyTypedDataSigner,
  type Permit2Options,
  signEip2612Permit,
  signPermit2Authorization,
} from './sign-permit2.js'
export {
  eip3009Domain,
  TRANSFER_WITH_AUTHORIZATION_TYPES,
  type TransferAuthorization,
  transferWithAuthorizationTypedData,
} from './transfer-with-authorization.js'
