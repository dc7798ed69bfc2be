import {expect} from 'chai'

import {api, apiEnv, blockNetwork} from '../../helpers/api.js'
import {runCommand} from '../../helpers/run.js'
import {app, newApp} from './fixtures.js'

describe('aka apps:create', () => {
  blockNetwork()

  it('splits NAME-SPACE at the first dash when --space is absent', async () => {
    api().post('/apps', {name: 'shop', space: 'prod'}).reply(201, newApp)
    const {stdout, stderr, exitCode} = await runCommand(['apps:create', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(stdout).to.equal('Created ⬢ shop-prod\n')
  })

  it('keeps the rest after the first dash as the space', async () => {
    const created = app({simple_name: 'shop', space: {id: 'sp', name: 'eu-prod'}})
    api().post('/apps', {name: 'shop', space: 'eu-prod'}).reply(201, created)
    const {stdout} = await runCommand(['apps:create', 'shop-eu-prod'], {env: apiEnv})
    expect(stdout).to.equal('Created ⬢ shop-eu-prod\n')
  })

  it('sends the name whole when --space is given, and the org', async () => {
    api().post('/apps', {name: 'shop', space: 'prod', org: 'acme'}).reply(201, newApp)
    const {stdout} = await runCommand(['apps:create', 'shop', '-s', 'prod', '-o', 'acme'], {env: apiEnv})
    expect(stdout).to.equal('Created ⬢ shop-prod\n')
  })

  it('sends only the name when there is no dash and no flag, and prints the web URL when there is one', async () => {
    const created = app({simple_name: 'hello', space: {id: 'sp', name: 'default'}, web_url: 'http://127.0.0.1:5101'})
    api().post('/apps', {name: 'hello'}).reply(201, created)
    const {stdout} = await runCommand(['apps:create', 'hello'], {env: apiEnv})
    expect(stdout).to.equal('Created ⬢ hello-default\nhttp://127.0.0.1:5101\n')
  })

  it('prints the API object with --json', async () => {
    api().post('/apps', {name: 'shop', space: 'prod'}).reply(201, newApp)
    const {stdout} = await runCommand(['apps:create', 'shop-prod', '--json'], {env: apiEnv})
    expect(JSON.parse(stdout)).to.deep.equal(newApp)
  })

  it('refuses an empty space and sends nothing', async () => {
    const {stdout, stderr, exitCode} = await runCommand(['apps:create', 'shop-'], {env: apiEnv})
    expect(exitCode).to.equal(2)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('Error: "shop-" is not an app name; give NAME or NAME-SPACE, for example `shop` or `shop-prod`\n')
  })

  it("shows the server's refusal in one line and exits 1", async () => {
    api().post('/apps', {name: 'shop', space: 'prod'}).reply(409, 'The application shop-prod already exists.', {'content-type': 'text/plain'})
    const {stdout, stderr, exitCode} = await runCommand(['apps:create', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('Error: The application shop-prod already exists. (HTTP 409)\n')
  })
})
