export * from './__NAME__-client.js'
