#!/usr/bin/env node
// Runs aka from src/ (oclif registers tsx), ignoring the built manifest so changes show at once.
import {execute} from '@oclif/core'
import {fileURLToPath} from 'node:url'

await execute({development: true, loadOptions: {root: fileURLToPath(new URL('..', import.meta.url)), ignoreManifest: true}})
