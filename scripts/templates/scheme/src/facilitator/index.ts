export * from './__NAME__-facilitator.js'
export * from './reasons.js'
