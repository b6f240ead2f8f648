export * from './get-payment-response.js'
export * from './with-payments.js'
