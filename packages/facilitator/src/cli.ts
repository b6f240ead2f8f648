#!/usr/bin/env node
import { readFileSync } from 'node:fs'
import { openFacilitatorStorage } from './open-facilitator-storage.js'
import { mainFacilitatorCli } from './run-facilitator-cli.js'

mainFacilitatorCli({
  argv: process.argv.slice(2),
  env: process.env,
  readFile: (path) => readFileSync(path, 'utf8'),
  openStorage: openFacilitatorStorage,
})
