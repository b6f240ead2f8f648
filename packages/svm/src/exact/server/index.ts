export { type ExactSvmServerOptions, exactSvmServer } from './exact-svm-server.js'
