// nock set-up shared by command tests: a fake Akkeris at one host, and no real network at all.
import nock from 'nock'

export const API_HOST = 'apps.akkeris.test'
export const API_URL = `https://${API_HOST}`
export const TOKEN = 'tok-123-secret'

/** Environment that points aka at the fake API with a token. */
export const apiEnv = {
  AKKERIS_API_HOST: API_HOST,
  AKKERIS_AUTH_HOST: 'auth.akkeris.test',
  API_TOKEN: TOKEN,
}

/** Intercepts requests to the fake API that carry the token. */
export function api(): nock.Scope {
  return nock(API_URL, {reqheaders: {authorization: `Bearer ${TOKEN}`}})
}

// nock intercepts every http request of the process once it is active, which would stop the
// platform tests' real sockets: it is active only inside the describe blocks that ask for it.
nock.restore()

/** For the enclosing describe: nock answers every request, nothing reaches the network, and a test fails if it left an interceptor unused. */
export function blockNetwork(): void {
  before(() => {
    if (!nock.isActive()) nock.activate()
    nock.disableNetConnect()
  })
  afterEach(() => {
    const pending = nock.pendingMocks()
    nock.cleanAll()
    if (pending.length > 0) throw new Error(`requests not sent: ${pending.join(', ')}`)
  })
  after(() => {
    nock.enableNetConnect()
    nock.restore()
  })
}
