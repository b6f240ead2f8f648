export * from './exact/server/index.js'
export * from './networks/index.js'
export { declareEip2612GasSponsoring } from './shared/eip2612-gas-sponsoring.js'
export * from './upto/server/index.js'
