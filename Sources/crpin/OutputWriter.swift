#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import Script

/// Writes standard output's chunks on a second thread while crpin renders the next ones
/// (`crpin run`, `crpin scenario` when standard output is not a terminal: a long trace spends
/// about a sixth of its time in `write` copying into the page cache or a pipe).
///
/// `hand` gives the writer a chunk (a `TraceBuffer`: its bytes are shared, not copied, and
/// the one who handed it writes its next bytes elsewhere), waiting only while the writer is
/// still busy with the chunk before. The first failed write is kept and returned by the next
/// `hand` or by `finish`, so crpin still ends with status 3 (`Console`); chunks handed after a
/// failure are dropped.
final class OutputWriter: @unchecked Sendable {
  // Everything below is read and written under `lock`, except `chunk` while `busy` (the writer
  // thread owns it then).
  private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
  private var chunk = TraceBuffer()
  private var busy = false
  private var closing = false
  private var failure: Int32 = 0
  private var thread = pthread_t()

  /// Starts the writer thread on standard output; nil if the thread could not be started (then
  /// `Console` writes as before, on its own thread).
  static func start() -> OutputWriter? {
    let writer = OutputWriter()
    let context = Unmanaged.passRetained(writer).toOpaque()
    var thread = pthread_t()
    let started = pthread_create(
      &thread, nil,
      { context in
        guard let context else { return nil }
        let writer = Unmanaged<OutputWriter>.fromOpaque(context).takeRetainedValue()
        writer.loop()
        return nil
      }, context)
    guard started == 0 else {
      Unmanaged<OutputWriter>.fromOpaque(context).release()
      return nil
    }
    writer.thread = thread
    return writer
  }

  private init() {
    pthread_mutex_init(lock, nil)
    pthread_cond_init(changed, nil)
  }

  deinit {
    pthread_cond_destroy(changed)
    pthread_mutex_destroy(lock)
    changed.deallocate()
    lock.deallocate()
  }

  /// Hands `buffer`'s bytes to the writer (the chunk written before is let go). Returns the
  /// `errno` of a failed write, 0 if none failed so far.
  func hand(_ buffer: TraceBuffer) -> Int32 {
    pthread_mutex_lock(lock)
    defer { pthread_mutex_unlock(lock) }
    while busy { pthread_cond_wait(changed, lock) }
    if failure != 0 { return failure }
    chunk = buffer
    busy = true
    pthread_cond_broadcast(changed)
    return 0
  }

  /// Waits until every handed chunk is written and ends the thread. Returns the `errno` of a
  /// failed write, 0 if none failed.
  func finish() -> Int32 {
    pthread_mutex_lock(lock)
    closing = true
    pthread_cond_broadcast(changed)
    pthread_mutex_unlock(lock)
    pthread_join(thread, nil)
    return failure
  }

  private func loop() {
    pthread_mutex_lock(lock)
    while true {
      while !busy, !closing { pthread_cond_wait(changed, lock) }
      guard busy else { break }
      let failedBefore = failure != 0
      pthread_mutex_unlock(lock)
      let code = failedBefore ? 0 : chunk.withBytes { Self.writeAll($0, to: STDOUT_FILENO) }
      pthread_mutex_lock(lock)
      if failure == 0 { failure = code }
      busy = false
      pthread_cond_broadcast(changed)
    }
    pthread_mutex_unlock(lock)
  }

  /// Writes all of `bytes`; the `errno` of a failure, or 0.
  static func writeAll(_ bytes: UnsafeBufferPointer<UInt8>, to descriptor: Int32) -> Int32 {
    var offset = 0
    while offset < bytes.count {
      let count = write(descriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
      if count < 0, errno == EINTR { continue }
      guard count > 0 else { return count == 0 ? EIO : errno }
      offset += count
    }
    return 0
  }
}
