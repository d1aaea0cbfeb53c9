import Script

extension AppState {
  /// The state undo would go back to.
  var snapshot: Snapshot {
    Snapshot(session: session, vcpu: vcpu, transcript: transcript, playback: playback)
  }

  /// Saves the current state for undo; a new action forgets what was undone.
  mutating func pushUndo() {
    undoStack.append(snapshot)
    redoStack.removeAll()
  }

  private mutating func restore(_ snapshot: Snapshot) {
    session = snapshot.session
    vcpu = min(snapshot.vcpu, vm.vcpus.count - 1)
    transcript = snapshot.transcript
    playback = snapshot.playback
    playback?.autoplay = false
  }

  private var rewrite: [Effect] { isRecording ? [.rewriteRecord(transcript.lines)] : [] }

  /// Goes back one action.
  mutating func undo() -> [Effect] {
    guard let previous = undoStack.popLast() else {
      message = StatusMessage("nothing to undo")
      return []
    }
    let undone = transcript.lines.last ?? ""
    redoStack.append(snapshot)
    restore(previous)
    note("undo: \(undone)")
    return rewrite
  }

  /// Goes forward again after undo.
  mutating func redo() -> [Effect] {
    guard let next = redoStack.popLast() else {
      message = StatusMessage("nothing to redo")
      return []
    }
    undoStack.append(snapshot)
    restore(next)
    note("redo: \(transcript.lines.last ?? "")")
    return rewrite
  }

  /// Replaces the whole state with a rebuilt one (a scenario start or rewind): undoable, and
  /// the record file is rewritten to match.
  mutating func replaceHistory(session: Session, vcpu: Int, transcript: Transcript) -> [Effect] {
    pushUndo()
    self.session = session
    self.vcpu = vcpu
    self.transcript = transcript
    return rewrite
  }
}
