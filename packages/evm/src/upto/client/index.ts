export { type UptoEvmClientOptions, uptoEvmClient } from './upto-evm-client.js'
