import {expect} from 'chai'
import {execFileSync} from 'node:child_process'

import {api, apiEnv, blockNetwork} from '../../helpers/api.js'
import {runCommand} from '../../helpers/run.js'

const vars = {
  GREETING: 'hello',
  DATABASE_URL: 'postgres://db:5432/shop?sslmode=require',
  MOTTO: "it's $HOME `pwd` \\ \"quoted\"",
}

describe('aka config', () => {
  blockNetwork()

  it('prints KEY: value lines sorted by key, aligned', async () => {
    api().get('/apps/hello-default/config-vars').reply(200, vars)
    const {stdout, stderr, exitCode} = await runCommand(['config', '-a', 'hello-default'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(stdout).to.equal([
      'DATABASE_URL: postgres://db:5432/shop?sslmode=require',
      'GREETING:     hello',
      `MOTTO:        ${vars.MOTTO}`,
      '',
    ].join('\n'))
  })

  it('keeps the lines of a multi-line value under the value column', async () => {
    api().get('/apps/hello-default/config-vars').reply(200, {KEY: 'line one\nline two'})
    const {stdout} = await runCommand(['config', '-a', 'hello-default'], {env: apiEnv})
    expect(stdout).to.equal('KEY: line one\n     line two\n')
  })

  it('says on stderr when there are none', async () => {
    api().get('/apps/hello-default/config-vars').reply(200, {})
    const {stdout, stderr} = await runCommand(['config', '-a', 'hello-default'], {env: apiEnv})
    expect(stdout).to.equal('')
    expect(stderr).to.equal('⬢ hello-default has no config vars.\n')
  })

  it('prints the API object with --json', async () => {
    api().get('/apps/hello-default/config-vars').reply(200, vars)
    const {stdout} = await runCommand(['config', '-a', 'hello-default', '--json'], {env: apiEnv})
    expect(JSON.parse(stdout)).to.deep.equal(vars)
  })

  it("prints KEY='value' lines with --shell", async () => {
    api().get('/apps/hello-default/config-vars').reply(200, {GREETING: 'hello', MOTTO: "it's"})
    const {stdout} = await runCommand(['config', '-a', 'hello-default', '--shell'], {env: apiEnv})
    expect(stdout).to.equal("GREETING='hello'\nMOTTO='it'\\''s'\n")
  })

  it('quotes --shell values so that sh reads back exactly the same strings', async () => {
    const tricky = {...vars, NEWLINE: 'a\nb', EMPTY: '', DOLLAR: '$(echo no)'}
    api().get('/apps/hello-default/config-vars').reply(200, tricky)
    const {stdout} = await runCommand(['config', '-a', 'hello-default', '-s'], {env: apiEnv})
    const keys = Object.keys(tricky)
    const echoed = execFileSync('sh', ['-c', `${stdout}printf '%s\\0' ${keys.map(key => `"$${key}"`).join(' ')}`], {encoding: 'utf8'})
    expect(echoed.split('\0').slice(0, -1)).to.deep.equal(keys.map(key => tricky[key as keyof typeof tricky]))
  })

  it('refuses --json with --shell, sending nothing', async () => {
    const {stdout, stderr, exitCode} = await runCommand(['config', '-a', 'hello-default', '--json', '--shell'], {env: apiEnv})
    expect(exitCode).to.equal(2)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('Error: --json and --shell cannot be used together; see `aka config --help`\n')
  })
})
