export {
  DEFAULT_COMPUTE_UNIT_LIMIT,
  DEFAULT_COMPUTE_UNIT_PRICE_MICROLAMPORTS,
  type PaymentInstructionsInput,
  type PaymentTransactionFrame,
  paymentInstructions,
  signPaymentTransaction,
} from './build-payment-transaction.js'
export { type ExactSvmClientOptions, exactSvmClient } from './exact-svm-client.js'
