import {expect} from 'chai'

import type {Size} from '../../../src/api/types.js'
import {api, apiEnv, blockNetwork} from '../../helpers/api.js'
import {gp1} from '../../helpers/fixtures.js'
import {runCommand} from '../../helpers/run.js'

const size = (name: string, limit: string, price: number, cpu?: string): Size => ({
  ...gp1, name, price, resources: {requests: {memory: limit}, limits: cpu ? {memory: limit, cpu} : {memory: limit}},
})
const gp2 = size('gp2', '512Mi', 20)
const gp2Prod = size('gp2-prod', '512Mi', 25)
const mp1WithCpu = size('mp1', '2048Mi', 50, '1000m')
const sizes = [gp1, gp2, gp2Prod, mp1WithCpu]

describe('aka ps:sizes', () => {
  blockNetwork()

  it('prints a table of the sizes without the -prod ones, in the API order', async () => {
    api().get('/sizes').reply(200, sizes)
    const {stdout, stderr, exitCode} = await runCommand(['ps:sizes'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(stdout).to.equal([
      'Size  Memory  CPU     Price',
      'gp1   256Mi   Shared  $10/mo',
      'gp2   512Mi   Shared  $20/mo',
      'mp1   2048Mi  1000m   $50/mo',
      '',
    ].join('\n'))
  })

  it('shows the -prod sizes with --all, through the sizes alias', async () => {
    api().get('/sizes').reply(200, sizes)
    const {stdout} = await runCommand(['sizes', '--all'], {env: apiEnv})
    expect(stdout).to.equal([
      'Size      Memory  CPU     Price',
      'gp1       256Mi   Shared  $10/mo',
      'gp2       512Mi   Shared  $20/mo',
      'gp2-prod  512Mi   Shared  $25/mo',
      'mp1       2048Mi  1000m   $50/mo',
      '',
    ].join('\n'))
  })

  it('prints every size exactly as the API sent it with --json', async () => {
    api().get('/sizes').reply(200, sizes)
    const {stdout, exitCode} = await runCommand(['ps:sizes', '--json'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(JSON.parse(stdout)).to.deep.equal(sizes)
  })

  it('colours the size names on a colour terminal', async () => {
    api().get('/sizes').reply(200, [gp1])
    const {stdout} = await runCommand(['ps:sizes'], {env: apiEnv, tty: true, color: true})
    expect(stdout).to.include('\u001B[35mgp1\u001B[39m')
  })

  it('says so on stderr when there are no sizes to show', async () => {
    api().get('/sizes').reply(200, [gp2Prod])
    const {stdout, stderr, exitCode} = await runCommand(['ps:sizes'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('No dyno sizes but -prod ones: --all shows them.\n')
  })
})
