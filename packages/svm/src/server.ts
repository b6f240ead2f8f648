export * from './exact/server/index.js'
export * from './networks/index.js'
