// POST /apps/{app}/formation with oneoff: the controller's checks and texts (releases-logs-account §7).
import {expect} from 'chai'

import {ONEOFF_WEB} from '../../../src/platform/api/oneoff.js'
import {expectError, startTestPlatform, type TestPlatform} from './harness.js'

const IMAGE_INVALID = 'The one-off image specified was invalid - must be a non-empty string'
const TAG_MISSING = 'A tag must be specified for the one-off image option, but no tag was found.'
const ENV_EMPTY = 'The env option must be an object consisting of at least one key-value pair.'
const ENV_VALUE = 'Invalid env value: env option must be an object consisting of at least one key-value pair.'

describe('local platform API: one-off formations', () => {
  let platform: TestPlatform
  const path = '/apps/shop-default/formation'

  beforeEach(async () => {
    platform = await startTestPlatform()
    await platform.request('POST', '/apps', {name: 'shop'})
    platform.runtime.calls.length = 0
  })

  afterEach(async () => {
    await platform.close()
  })

  const refuse = (body: unknown, status: number, message: string) => expectError(platform, 'POST', path, body, status, message)

  it('checks one-offs in the controller\'s order with its texts, and changes nothing', async () => {
    await refuse({type: 'web', oneoff: true}, 422, ONEOFF_WEB)
    await refuse({type: 'job', options: 'x'}, 422, 'A run command must be specified for any type outside of a web process.')
    await refuse({type: 'job', oneoff: true, options: 'x'}, 422, 'The options specified were not recognized')
    await refuse({type: 'job', command: 'x', options: 5}, 422, 'The options specified were not recognized')
    for (const image of ['', '  ', 5]) await refuse({type: 'job', oneoff: true, options: {image}}, 422, IMAGE_INVALID)
    for (const image of ['img', 'registry:5000/img', ':tag']) await refuse({type: 'job', oneoff: true, options: {image}}, 422, TAG_MISSING)
    for (const env of ['', {}, ['a']]) await refuse({type: 'job', oneoff: true, options: {image: 'img:1.2', env}}, 422, ENV_EMPTY)
    await refuse({type: 'job', oneoff: true, options: {env: {A: 1}}}, 422, ENV_VALUE)
    // The rules before the one-off ones come first; the command rule is skipped for a one-off.
    await refuse({type: 'my job', oneoff: true}, 422, 'The type specified was invalid, it cannot contain spaces or special characters (lower case alpha numeric only)')
    expect((await platform.request('GET', path)).json()).to.deep.equal([])
    expect(platform.runtime.calls).to.deep.equal([])
  })

  it('refuses a valid one-off rather than run it as an ordinary dyno type', async () => {
    await refuse({type: 'job', oneoff: true, options: {image: 'img:1.2', env: {A: 'b'}}}, 501, 'The local platform does not run one-off formations yet; create the type without oneoff.')
    expect((await platform.request('GET', path)).json()).to.deep.equal([])
  })

  it('lets an ordinary type pass with options that are an object or an array, as upstream', async () => {
    expect((await platform.request('POST', path, {type: 'worker', command: 'node w.js', options: ['x']})).status).to.equal(201)
    expect((await platform.request('POST', path, {type: 'clock', command: 'node c.js', options: {image: 'no tag'}})).status).to.equal(201)
  })
})
