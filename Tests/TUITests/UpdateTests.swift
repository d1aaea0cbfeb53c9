import Engine
import Script
import Testing
import TUI

@Suite("update: keys to state and actions")
struct UpdateTests {
  @Test("h/l and arrows move along named bits; j/k and up/down switch register")
  func movement() {
    var d = Driver()
    #expect(d.state.cursor == BitCursor(.cr4, 20))
    d.press(.character("l"))
    #expect(d.state.cursor == BitCursor(.cr4, 19))
    d.press(.left, .left)
    #expect(d.state.cursor == BitCursor(.cr4, 21))
    d.press(.character("k"))
    #expect(d.state.cursor.register == .cr0)
    d.press(.down)
    #expect(d.state.cursor.register == .cr4)
    d.press(.home)
    #expect(d.state.cursor == BitCursor(.cr4, 24))
    d.press(.end)
    #expect(d.state.cursor == BitCursor(.cr4, 0))
    d.press(.right)
    #expect(d.state.cursor == BitCursor(.cr4, 0))
  }

  @Test("CR4 bit 15 has no name, so the cursor skips it")
  func skipsUnnamedBits() {
    var d = Driver()
    d.state.cursor = BitCursor(.cr4, 16)
    d.press(.character("l"))
    #expect(d.state.cursor == BitCursor(.cr4, 14))
  }

  @Test("space toggles SMEP as a guest MOV: #GP, CR4 unchanged, logged and recorded")
  func toggleSMEPFaults() {
    var d = Driver(AppState(isRecording: true))
    d.press(.character(" "))
    #expect(d.state.currentVCPU.registers.cr4 == 0x360ef0)
    let entry = d.state.log.last
    #expect(entry?.statement == "mov cr4, 0x260ef0")
    #expect(entry?.outcome == .gp)
    #expect(entry?.rules == [.pinCR4High])
    #expect(entry?.actor == .actor(.guest))
    #expect(d.effects == [.record(["mov cr4, 0x260ef0"])])
  }

  @Test("Enter toggles too; a free bit toggles ok")
  func toggleFreeBit() {
    var d = Driver()
    d.state.cursor = BitCursor(.cr4, 7)  // PGE
    d.press(.enter)
    #expect(d.state.currentVCPU.registers.cr4 == 0x360ef0 & ~0x80)
    #expect(d.state.log.last?.outcome == .ok)
  }

  @Test("H and L pin as the guest with WRMSR of the current mask plus the bit")
  func guestPins() {
    var d = Driver()
    d.state.cursor = BitCursor(.cr4, 5)  // PAE: not allowed
    d.press(.character("H"))
    #expect(d.state.log.last?.statement == "wrmsr CR4_PINNED_HIGH, 0x300820")
    #expect(d.state.log.last?.outcome == .gp)
    d.state.cursor = BitCursor(.cr4, 20)
    d.press(.character("L"))
    #expect(d.state.log.last?.statement == "wrmsr CR4_PINNED_LOW, 0x100000")
    #expect(d.state.log.last?.rules == [.msrPinOpposite])
  }

  @Test("the host unpins SMEP with =, then the guest may clear it; + pins it again")
  func hostUnpinAndPin() {
    var d = Driver()
    d.press(.character("="))
    #expect(d.state.log.last?.statement == "host wrmsr CR4_PINNED_HIGH, 0x200800")
    #expect(d.state.log.last?.actor == .actor(.host))
    #expect(d.state.vm.effectivePins(on: d.state.vcpu).cr4High == 0x200800)
    #expect(d.state.togglePreview.kind == .ok)
    d.press(.character(" "))
    #expect(d.state.currentVCPU.registers.cr4 == 0x260ef0)
    d.press(.character("="))
    #expect(d.state.message?.text.contains("not pinned") == true)
    d.press(.character("+"))
    #expect(d.state.log.last?.statement == "host wrmsr CR4_PINNED_HIGH, 0x300800")
    #expect(d.state.vm.effectivePins(on: d.state.vcpu).cr4High == 0x300800)
  }

  @Test("- pins low as the host; the opposite mask refuses it")
  func hostPinLowRejected() {
    var d = Driver()
    d.press(.character("-"))
    #expect(d.state.log.last?.outcome == .rejected)
  }

  @Test("s enters SMM and leaves it; v enters L2 and leaves it")
  func smmAndNested() {
    var d = Driver()
    d.press(.character("s"))
    #expect(d.state.currentVCPU.inSMM)
    #expect(d.state.log.last?.statement == "smi")
    d.press(.character("s"))
    #expect(!d.state.currentVCPU.inSMM)
    #expect(d.state.log.last?.statement == "rsm")
    d.press(.character("v"))
    #expect(d.state.currentVCPU.inL2)
    d.press(.character("v"))
    #expect(!d.state.currentVCPU.inL2)
    #expect(d.state.log.last?.statement == "vmexit")
  }

  @Test("r resets, R reboots, b boots, t toggles through the kernel")
  func lifecycleKeys() {
    var d = Driver()
    d.press(.character("r"))
    #expect(d.state.currentVCPU.registers.cr4 == 0)
    d.press(.character("b"))
    #expect(d.state.currentVCPU.registers.cr4 == 0x360ef0)
    d.press(.character("t"))
    #expect(d.state.log.last?.statement == "kernel write cr4, 0x260ef0")
    d.press(.character("R"))
    #expect(d.state.log.last?.statement == "reboot")
  }

  @Test("K, C, N flip the options")
  func options() {
    var d = Driver()
    d.press(.character("K"))
    #expect(!d.state.vm.options.kvmPin)
    #expect(d.state.log.last?.statement == "option kvm-pin off")
    d.press(.character("C"), .character("N"))
    #expect(!d.state.vm.options.cpuidPin)
    #expect(!d.state.vm.options.nativePin)
  }

  @Test("Tab and digits select the vCPU; actions on vCPU 1 record `vcpu 1` first")
  func vcpuSwitching() {
    var d = Driver(AppState(isRecording: true))
    d.press(.tab)
    #expect(d.state.vcpu == 1)
    d.press(.tab)
    #expect(d.state.vcpu == 0)
    d.press(.backTab)
    #expect(d.state.vcpu == 1)
    d.type("9")
    #expect(d.state.vcpu == 1)
    #expect(d.state.message?.isError == true)
    d.press(.character("r"))
    d.type("0")
    d.press(.character("s"))
    #expect(d.recorded == ["vcpus 2", "vcpu 1", "reset", "vcpu 0", "smi"].dropFirst().map { $0 })
    #expect(d.state.transcript.lines == ["vcpus 2", "vcpu 1", "reset", "vcpu 0", "smi"])
  }

  @Test("u undoes, Ctrl-R redoes, and the record file is rewritten to the kept history")
  func undoRedo() {
    var d = Driver(AppState(isRecording: true))
    d.press(.character("s"))
    d.state.cursor = BitCursor(.cr4, 20)
    d.press(.character(" "))
    #expect(d.state.currentVCPU.registers.cr4 == 0x100000)
    d.press(.character("u"))
    #expect(d.state.currentVCPU.registers.cr4 == 0)
    #expect(d.state.currentVCPU.inSMM)
    #expect(d.effects.last == .rewriteRecord(["vcpus 2", "smi"]))
    d.press(.control("r"))
    #expect(d.state.currentVCPU.registers.cr4 == 0x100000)
    #expect(d.effects.last == .rewriteRecord(["vcpus 2", "smi", "mov cr4, 0x100000"]))
    d.press(.character("u"), .character("u"), .character("u"))
    #expect(d.state.message?.text == "nothing to undo")
    #expect(!d.state.currentVCPU.inSMM)
  }

  @Test("the : prompt runs a statement; a bad one shows its column and stays open")
  func commandLine() {
    var d = Driver()
    d.command("mov cr4, cr4 & ~SMEP")
    #expect(d.state.mode.kind == .normal)
    #expect(d.state.log.last?.outcome == .gp)
    #expect(d.state.log.last?.statement == "mov cr4, cr4 & ~SMEP")
    d.command("mov cr5, 1")
    #expect(d.state.mode.kind == .command)
    #expect(d.state.prompt.failure?.column == 5)
    d.press(.escape)
    #expect(d.state.mode.kind == .normal)
    d.type(":")
    d.press(.up)
    #expect(d.state.prompt.text == "mov cr5, 1")
    d.press(.up)
    #expect(d.state.prompt.text == "mov cr4, cr4 & ~SMEP")
    d.press(.down, .down)
    #expect(d.state.prompt.text == "")
  }

  @Test("the prompt edits: backspace, delete, cursor keys, Ctrl-U")
  func promptEditing() {
    var d = Driver()
    d.type(":smix")
    d.press(.backspace)
    #expect(d.state.prompt.text == "smi")
    d.press(.left, .left, .delete)
    #expect(d.state.prompt.text == "si")
    d.press(.control("u"))
    #expect(d.state.prompt.text == "")
    d.press(.backspace)
    #expect(d.state.mode.kind == .normal)
  }

  @Test("`expect` on the prompt checks the last action")
  func expectOnPrompt() {
    var d = Driver()
    d.press(.character(" "))
    d.command("expect gp")
    #expect(d.state.log.last?.details.last?.text == "✓ expect gp")
  }

  @Test("q quits at once without unsaved work, asks after an action, not when recording")
  func quitting() {
    var d = Driver()
    d.press(.character("q"))
    #expect(d.effects == [.quit])

    var e = Driver()
    e.press(.character("s"), .character("q"))
    #expect(e.state.mode.kind == .quitConfirm)
    e.press(.character("n"))
    #expect(e.state.mode.kind == .normal)
    e.press(.character("q"), .character("y"))
    #expect(e.effects.last == .quit)

    var f = Driver(AppState(isRecording: true))
    f.press(.character("s"), .character("q"))
    #expect(f.effects.last == .quit)
  }

  @Test("? opens the help, Esc closes it; keys do not act meanwhile")
  func helpOverlay() {
    var d = Driver()
    d.press(.character("?"))
    #expect(d.state.mode.kind == .help)
    d.press(.down)
    #expect(d.state.mode.kind == .help)
    d.press(.escape)
    #expect(d.state.mode.kind == .normal)
    #expect(d.state.log.isEmpty)
  }

  @Test("a click selects a bit; a click on the selected bit toggles it")
  func mouse() {
    var d = Driver()
    d.send(.resize(width: 100, height: 30))
    // CR4 values row is 10; bit 7 (PGE) has its value at column 1 + 17 * 3 + 2.
    d.click(row: 10, column: 54)
    #expect(d.state.cursor == BitCursor(.cr4, 7))
    #expect(d.state.log.isEmpty)
    d.click(row: 9, column: 54)
    #expect(d.state.log.last?.statement == "mov cr4, 0x360e70")
    d.click(row: 0, column: 3)
    #expect(d.state.cursor == BitCursor(.cr4, 7))
  }

  @Test("a click picks the bit of the frame drawn last; update draws nothing itself")
  func clickOnDrawnFrame() {
    var d = Driver()
    d.send(.click(row: 10, column: 54))
    #expect(d.state.cursor == .initial, "nothing drawn yet: no bit there")
    d.state.drawnBits = render(d.state, width: 100, height: 30).hitMap
    d.press(.character("?"))
    d.send(.click(row: 10, column: 54))
    #expect(d.state.cursor == .initial, "the help overlay has the keyboard")
    d.press(.escape)
    d.send(.click(row: 10, column: 54))
    #expect(d.state.cursor == BitCursor(.cr4, 7))
  }

  @Test("the hit map holds every named CR0 and CR4 bit, and nothing outside the register panel")
  func hitMapCoversEveryBit() {
    let frame = render(AppState(), width: 100, height: 30)
    var found: Set<BitCursor> = []
    for row in 0..<30 {
      for column in 0..<100 {
        guard let bit = frame.hitMap.bit(row: row, column: column) else { continue }
        found.insert(bit)
        #expect(row < 13, "row \(row), column \(column): \(bit)")
      }
    }
    let named = (0..<64).flatMap { index in
      [PinnableRegister.cr0, .cr4].compactMap {
        BitCatalog.bit($0, index: index) == nil ? nil : BitCursor($0, index)
      }
    }
    #expect(found == Set(named))
    #expect(frame.hitMap.bit(row: -1, column: 0) == nil)
    #expect(frame.hitMap.bit(row: 0, column: 100) == nil)
  }

  @Test("below 80x24 only q (and Esc) do anything")
  func tooSmall() {
    var d = Driver()
    d.send(.resize(width: 60, height: 15))
    d.press(.character("s"))
    #expect(!d.state.currentVCPU.inSMM)
    d.press(.character("q"))
    #expect(d.effects == [.quit])
  }

  @Test("the wheel and PgUp/PgDn scroll the log")
  func scrolling() {
    var d = Driver()
    d.press(.pageUp)
    #expect(d.state.logScroll == 5)
    d.send(.scroll(row: 25, column: 10, delta: 1))
    #expect(d.state.logScroll == 2)
    d.press(.pageDown)
    #expect(d.state.logScroll == 0)
  }

  @Test("what the keys recorded replays headless to the same VM")
  func transcriptReplays() throws {
    var d = Driver(AppState(isRecording: true))
    d.press(.character("="), .character(" "), .tab, .character("s"))
    d.state.cursor = BitCursor(.cr0, 16)
    d.press(.character(" "), .character("u"), .character("v"), .character("K"))
    d.command("smram cr4, cr4 & ~SMEP")
    d.press(.character("s"))
    let session = try replay(d.recorded)
    #expect(session.vm == d.state.vm)
    #expect(d.recorded == d.state.transcript.lines)
  }
}
