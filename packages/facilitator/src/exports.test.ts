import { expect, test } from 'vitest'
import * as facilitator from './index.js'

test('@open402/facilitator exports the app, the server, the config helpers and the CLI resolver', () => {
  expect(Object.keys(facilitator).sort()).toEqual([
    'CLI_USAGE',
    'DEFAULT_MAX_BODY_BYTES',
    'createEvmFacilitatorFromConfig',
    'createFacilitatorApp',
    'isPrivateKeyHex',
    'parseEvmNetwork',
    'parseFacilitatorConfig',
    'parseFacilitatorRequest',
    'resolveCliConfig',
    'startFacilitatorServer',
  ])
})
