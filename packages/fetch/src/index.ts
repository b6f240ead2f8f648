export * from './get-payment-response.js'
export * from './wrap-fetch.js'
