// The worker dyno type: no port, just a line in the logs every second (the platform prefixes its DYNO).
const greeting = process.env.GREETING || 'Hello from Akkeris'
let ticks = 0

const timer = setInterval(() => {
  ticks += 1
  console.log(`tick ${ticks}: ${greeting}`)
}, 1000)

process.on('SIGTERM', () => {
  clearInterval(timer)
  console.log(`stopping after ${ticks} ticks`)
  process.exit(0)
})
