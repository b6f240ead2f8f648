export {
  createPaymentWrapper,
  type PaymentWrapperOptions,
  type RouteHandler,
  type WithPayment,
} from './with-payment.js'
