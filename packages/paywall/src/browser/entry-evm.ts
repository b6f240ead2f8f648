import { startPaywall } from './paywall-app.js'

// The script of pages whose offers are all on EVM chains: no Solana code.
startPaywall()
