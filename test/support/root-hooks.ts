// Hooks for every test of every file, as a mocha root hook plugin (`require` in .mocharc.json): a
// root-level beforeEach in a helper module would run only for the first file that imports it in
// each of mocha's parallel workers, which load a module once. The global setup runs once, before
// any worker starts.
import {ensureBuilt} from '../helpers/built.js'
import {forgetFiveMinutesAgo} from '../helpers/fixtures.js'

export function mochaGlobalSetup(): void {
  ensureBuilt()
}

export const mochaHooks = {
  beforeEach(): void {
    forgetFiveMinutesAgo()
  },
}
