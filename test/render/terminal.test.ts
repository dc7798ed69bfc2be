import {expect} from 'chai'

import {colorWanted, testTerminal} from '../../src/render/terminal.js'

describe('the terminal decides on colour', () => {
  it('colours a terminal', () => {
    expect(colorWanted({}, true)).to.equal(true)
  })

  it('does not colour a pipe or a file', () => {
    expect(colorWanted({}, false)).to.equal(false)
  })

  it('does not colour with NO_COLOR set to anything but the empty string', () => {
    expect(colorWanted({NO_COLOR: '1'}, true)).to.equal(false)
    expect(colorWanted({NO_COLOR: 'false'}, true)).to.equal(false)
    expect(colorWanted({NO_COLOR: ''}, true)).to.equal(true)
  })

  it('colours anything with FORCE_COLOR, even over NO_COLOR; 0 or false turn colour off, even on a TTY', () => {
    expect(colorWanted({FORCE_COLOR: '1'}, false)).to.equal(true)
    expect(colorWanted({FORCE_COLOR: '', NO_COLOR: '1'}, false)).to.equal(true)
    expect(colorWanted({FORCE_COLOR: '0'}, true)).to.equal(false)
    expect(colorWanted({FORCE_COLOR: 'false'}, true)).to.equal(false)
  })

  it('does not colour a dumb terminal', () => {
    expect(colorWanted({TERM: 'dumb'}, true)).to.equal(false)
  })
})

describe('the test terminal', () => {
  it('lets a test be a person (spinners, prompts) or a pipe', () => {
    const person = testTerminal({tty: true})
    expect([person.stdoutIsTTY, person.canSpin, person.canPrompt]).to.deep.equal([true, true, true])
    const pipe = testTerminal()
    expect([pipe.stdoutIsTTY, pipe.canSpin, pipe.canPrompt]).to.deep.equal([false, false, false])
  })

  it('records what a spinner showed, on a terminal only', () => {
    const person = testTerminal({tty: true})
    person.spinner.start('Scaling web')
    person.spinner.stop()
    expect(person.err()).to.equal('Scaling web... done\n')
    const pipe = testTerminal()
    pipe.spinner.start('Scaling web')
    pipe.spinner.stop()
    expect(pipe.err()).to.equal('')
  })
})
