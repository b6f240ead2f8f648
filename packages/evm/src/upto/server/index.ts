export { type UptoEvmServerOptions, uptoEvmServer } from './upto-evm-server.js'
