// Fails on purpose at start, after saying so: the platform shows it crashed and restarts it with back-off.
console.error(`${process.env.DYNO || 'web'}: exiting with code 1 on purpose (the crash example)`)
process.exit(1)
