export { type ExactEvmClientOptions, exactEvmClient } from './exact-evm-client.js'
export {
  type AuthorizationOptions,
  signTransferAuthorization,
  type TypedDataSigner,
} from './sign-authorization.js'
