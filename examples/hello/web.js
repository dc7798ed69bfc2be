// The web dyno type: answers every path, /health included, with what this dyno knows about itself.
import {createServer} from 'node:http'

const port = Number(process.env.PORT || 5000)
const dyno = process.env.DYNO || 'web.local'

const server = createServer((request, response) => {
  const body = {
    greeting: process.env.GREETING || 'Hello from Akkeris',
    dyno,
    release: Number(process.env.RELEASE_VERSION),
    port: server.address().port,
    path: request.url,
  }
  response.writeHead(200, {'content-type': 'application/json'})
  response.end(JSON.stringify(body) + '\n')
  if (request.url !== '/health') console.log(`${request.method} ${request.url} 200`)
})

// Loopback only: the platform's router is the way in, and nothing else on the network reaches the dyno.
server.listen(port, '127.0.0.1', () => console.log(`listening on port ${server.address().port}`))

// The platform stops a dyno with SIGTERM: finish the requests in flight, then exit 0.
process.on('SIGTERM', () => {
  console.log('stopping')
  server.close(() => process.exit(0))
  server.closeIdleConnections()
})
