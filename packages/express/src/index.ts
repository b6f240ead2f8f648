export * from './payment-middleware.js'
