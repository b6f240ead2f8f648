export * from './__NAME__-server.js'
