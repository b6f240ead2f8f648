export * from './exact/facilitator/index.js'
export * from './networks/index.js'
export * from './upto/facilitator/index.js'
