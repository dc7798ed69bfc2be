// mocha's spec reporter, plus the run's counts written as "N passed, N failed, N skipped"
// to the file named by AKA_TEST_SUMMARY (read by .ci/run).
const {writeFileSync} = require('node:fs')
const Mocha = require('mocha')

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options)
    runner.once('end', () => {
      const file = process.env.AKA_TEST_SUMMARY
      if (!file) return
      const {passes, failures, pending} = this.stats
      writeFileSync(file, `${passes} passed, ${failures} failed, ${pending} skipped\n`)
    })
  }
}

module.exports = SummaryReporter
