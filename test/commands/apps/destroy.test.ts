import {expect} from 'chai'

import {api, apiEnv, blockNetwork} from '../../helpers/api.js'
import {runCommand} from '../../helpers/run.js'
import {helloApp} from './fixtures.js'

describe('aka apps:destroy', () => {
  blockNetwork()

  it('destroys the app when --confirm repeats its name', async () => {
    api().delete('/apps/hello-default').reply(200, helloApp)
    const {stdout, stderr, exitCode} = await runCommand(['apps:destroy', '-a', 'hello-default', '--confirm', 'hello-default'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(stdout).to.equal('Destroyed ⬢ hello-default.\n')
  })

  it('shows its progress on a terminal', async () => {
    api().delete('/apps/hello-default').reply(200, helloApp)
    const {stdout, stderr} = await runCommand(['apps:destroy', '-a', 'hello-default', '-c', 'hello-default'], {env: apiEnv, tty: true})
    expect(stderr).to.equal('Destroying ⬢ hello-default... done\n')
    expect(stdout).to.equal('Destroyed ⬢ hello-default.\n')
  })

  it('refuses a --confirm that does not match, sending nothing', async () => {
    const {stdout, stderr, exitCode} = await runCommand(['apps:destroy', '-a', 'hello-default', '--confirm', 'hello-prod'], {env: apiEnv})
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('Error: Confirmation "hello-prod" did not match hello-default: nothing was destroyed\n')
  })

  it('refuses without --confirm when there is no terminal to ask, sending nothing', async () => {
    const {stdout, stderr, exitCode} = await runCommand(['apps:destroy', '-a', 'hello-default'], {env: apiEnv})
    expect(exitCode).to.equal(2)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('Error: Destroying hello-default needs a confirmation; add --confirm hello-default\n')
  })

  it('never takes the app from $AKKERIS_APP, sending nothing', async () => {
    const {stderr, exitCode} = await runCommand(['apps:destroy', '--confirm', 'hello-default'], {env: {...apiEnv, AKKERIS_APP: 'hello-default'}})
    expect(exitCode).to.equal(2)
    expect(stderr).to.equal('Error: This command needs the app named with -a APP; it never guesses the app for a destructive change\n')
  })

  it('checks the app exists, asks on a terminal, and destroys when the name is typed back', async () => {
    api().get('/apps/hello-default').reply(200, helloApp)
      .delete('/apps/hello-default').reply(200, helloApp)
    const {stdout, stderr, exitCode} = await runCommand(['apps:destroy', '-a', 'hello-default'], {env: apiEnv, tty: true, interact: term => term.type('hello-default')})
    expect(exitCode).to.equal(0)
    expect(stderr).to.match(/^⚠ {2}This destroys hello-default: its dynos, releases and config vars\.\n/)
    expect(stderr).to.contain('Type hello-default to confirm:')
    expect(stderr).to.match(/Destroying ⬢ hello-default\.\.\. done\n$/)
    expect(stdout).to.equal('Destroyed ⬢ hello-default.\n')
  })

  it('destroys nothing when the typed name differs', async () => {
    api().get('/apps/hello-default').reply(200, helloApp)
    const {stdout, stderr, exitCode} = await runCommand(['apps:destroy', '-a', 'hello-default'], {env: apiEnv, tty: true, interact: term => term.type('hello')})
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.match(/Error: Confirmation "hello" did not match hello-default: nothing was destroyed\n$/)
  })

  it('does not ask about an app that does not exist', async () => {
    api().get('/apps/nope-default').reply(404, 'The specified application nope-default does not exist.', {'content-type': 'text/plain'})
    const {stderr, exitCode} = await runCommand(['apps:destroy', '-a', 'nope-default'], {env: apiEnv, tty: true})
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal('Error: The specified application nope-default does not exist. (HTTP 404)\n')
  })
})
