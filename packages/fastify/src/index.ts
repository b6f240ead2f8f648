export { type PaymentMiddlewareOptions, paymentMiddleware } from './payment-middleware.js'
