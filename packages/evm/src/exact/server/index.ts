export { type ExactEvmServerOptions, exactEvmServer } from './exact-evm-server.js'
