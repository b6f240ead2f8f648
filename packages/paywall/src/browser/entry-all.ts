import { startPaywall } from './paywall-app.js'
import { discoverSolanaWallets } from './solana-wallets.js'
import { createSolanaPayment } from './svm-payment.js'

// The script of pages with a Solana offer: EVM and Solana wallets.
startPaywall({ discoverSolanaWallets, createSolanaPayment })
