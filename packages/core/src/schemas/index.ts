export * from './facilitator.js'
export * from './payment-payload.js'
export * from './payment-required.js'
export * from './primitives.js'
