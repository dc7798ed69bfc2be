// Hooks for every test of every file, as a mocha root hook plugin (`require` in .mocharc.json): a
// root-level beforeEach in a helper module would run only for the first file that imports it in
// each of mocha's parallel workers, which load a module once.
import {forgetFiveMinutesAgo} from '../helpers/fixtures.js'

export const mochaHooks = {
  beforeEach(): void {
    forgetFiveMinutesAgo()
  },
}
